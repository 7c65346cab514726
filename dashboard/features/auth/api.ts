// The auth API's shapes the dashboard reads: types of the worker's contract, not copies. The
// client that fetches them is `dashboard/lib/api-client.ts`.
import type * as z from "zod";
import type {
  loginResponse,
  sessionsResponse,
  tokensResponse,
  userSchema,
} from "../../../worker/features/auth/schemas";
import type { totpSetupResponse, twoFactorStatusResponse } from "../../../worker/features/two-factor/schemas";

export type User = z.output<typeof userSchema>;

export type LoginAnswer = z.output<typeof loginResponse>;

export type SessionInfo = z.output<typeof sessionsResponse>["sessions"][number];

export type TokenInfo = z.output<typeof tokensResponse>["tokens"][number];

export type TwoFactorStatus = z.output<typeof twoFactorStatusResponse>;

export type TwoFactorSetup = z.output<typeof totpSetupResponse>;
