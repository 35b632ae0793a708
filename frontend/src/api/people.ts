// Query keys and shared hooks of the people pages: one key per person, so a change to them
// refreshes what shows them (their page, the list) and nothing else.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "./query";

export const personKey = (personId: number) => ["person", personId] as const;
export const overviewKey = (personId: number) => ["person", personId, "overview"] as const;
export const PEOPLE_KEY = ["people"] as const;

/** A change to a person: on success their page and the people list are read again. */
export function usePersonChange<V, R = unknown>(personId: number, change: (values: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: personKey(personId) }),
        queryClient.invalidateQueries({ queryKey: PEOPLE_KEY }),
      ]);
    },
  });
}

/** The record a merged-away person lives on in, when the API says so. */
export function mergedInto(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.status !== 404) return null;
  const problem = error.problem as { type?: string; merged_into?: unknown };
  if (problem.type !== "urn:achterban:problem:merged") return null;
  return typeof problem.merged_into === "number" ? problem.merged_into : null;
}

/** The message of each field the API named in a validation problem. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const errors = (error.problem.errors ?? []) as { key?: string | null; message?: string | null }[];
  const result: Record<string, string> = {};
  for (const item of errors) if (item.key && item.message && !result[item.key]) result[item.key] = item.message;
  return result;
}
