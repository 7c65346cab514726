// Who is signed in, asked once per page load: the header's account menu and a protected page's
// island both wait on the same request.
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import type { User } from "./api";

export type CurrentUserState =
  | { kind: "loading" }
  | { kind: "signed-in"; user: User }
  | { kind: "signed-out" }
  | { kind: "error"; error: ApiFailure };

let pending: Promise<CurrentUserState> | null = null;

async function fetchCurrentUser(): Promise<CurrentUserState> {
  const result = await apiRequest<{ user: User }>("GET", "/api/auth/me");
  if (result.ok) return { kind: "signed-in", user: result.data.user };
  if (result.error.status === 401) return { kind: "signed-out" };
  return { kind: "error", error: result.error };
}

export function loadCurrentUser(): Promise<CurrentUserState> {
  pending ??= fetchCurrentUser().then((state) => {
    // An error is not remembered: the next caller (a "try again" button) asks again.
    if (state.kind === "error") pending = null;
    return state;
  });
  return pending;
}
