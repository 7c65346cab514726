import * as z from "zod";
import { userLocales } from "../../../db/schema/users";
import commonPasswords from "./common-passwords.json";

const common = new Set<string>(commonPasswords);

export const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: "Enter a valid email address." }));

export const newPassword = z
  .string()
  .min(10, { message: "Use at least 10 characters." })
  .max(256, { message: "Use at most 256 characters." })
  .refine((value) => !common.has(value.toLowerCase()), {
    message: "This password is too common; choose another.",
  });

export const name = z.string().trim().max(100, { message: "Use at most 100 characters." });
export const locale = z.enum(userLocales);

export const signupBody = z.object({
  email,
  password: newPassword,
  name: name.optional(),
  locale: locale.optional(),
});

export const loginBody = z.object({
  email,
  // Any length: the login answer must not reveal the password rules.
  password: z.string().min(1).max(256),
});

export const updateMeBody = z
  .object({ name: name.optional(), locale: locale.optional() })
  .refine((body) => body.name !== undefined || body.locale !== undefined, {
    message: "Send name or locale.",
  });

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(256).optional(),
  newPassword,
});

export const createTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(365).optional(),
});

export const idParam = z.object({ id: z.string().min(1).max(64) });
