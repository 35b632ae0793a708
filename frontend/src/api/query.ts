// The one data layer for server state: TanStack Query over the typed API client.
// Every page reads with useQuery/useInfiniteQuery and writes with useMutation, so responses
// are cached, a newer response never loses to an older one, and errors reach the screen.
import { QueryClient } from "@tanstack/react-query";
import type { Problem } from "./client";

/** An API answer that was not 2xx: its status and its RFC 9457 Problem Details. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Partial<Problem>;

  constructor(status: number, problem: Partial<Problem> | undefined) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem ?? {};
  }
}

type Answer<D> = { data?: D; error?: unknown; response: Response };

/** The data of an openapi-fetch answer, or an ApiError thrown for the query to show. */
export async function unwrap<D>(answer: Promise<Answer<D>>): Promise<D> {
  const { data, error, response } = await answer;
  if (!response.ok) throw new ApiError(response.status, error as Partial<Problem> | undefined);
  return data as D;
}

/** Client errors (4xx) are answers, not glitches: asking again would not change them. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        staleTime: 30_000,
        // a read of personal data is an audited read: don't repeat it behind the user's back
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
      mutations: { retry: false },
    },
  });
}
