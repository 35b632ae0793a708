import { describe, expect, it } from "vitest";
import { ApiError, shouldRetry, unwrap } from "./query";

const answer = (status: number, body: unknown) => ({
  data: status < 400 ? body : undefined,
  error: status >= 400 ? body : undefined,
  response: new Response(null, { status }),
});

describe("unwrap", () => {
  it("hands back the data of a 2xx answer", async () => {
    await expect(unwrap(Promise.resolve(answer(200, { id: 1 })))).resolves.toEqual({ id: 1 });
  });

  it("throws the problem's detail with its status", async () => {
    const failing = unwrap(Promise.resolve(answer(404, { title: "Not found", detail: "No such person." })));
    await expect(failing).rejects.toBeInstanceOf(ApiError);
    await expect(failing).rejects.toMatchObject({ status: 404, message: "No such person." });
  });
});

describe("shouldRetry", () => {
  it("does not ask again after a client error", () => {
    expect(shouldRetry(0, new ApiError(403, { title: "Forbidden" }))).toBe(false);
  });

  it("asks again twice after a server error or a network failure", () => {
    expect(shouldRetry(0, new ApiError(503, {}))).toBe(true);
    expect(shouldRetry(1, new TypeError("fetch failed"))).toBe(true);
    expect(shouldRetry(2, new TypeError("fetch failed"))).toBe(false);
  });
});
