// The new-project form's checks, the same as the API's (worker/features/projects/schemas.ts),
// so most mistakes are explained before anything is sent. Pure: unit-tested.
import {
  OBSERVATION_WINDOW_MAX_MINUTES,
  PROJECT_DESCRIPTION_MAX_LENGTH,
  PROJECT_NAME_MAX_LENGTH,
} from "../../../worker/lib/field-limits";

export interface ProjectFormValues {
  name: string;
  description: string;
  /** Comma- or space-separated, as typed. */
  envs: string;
  observationWindowMinutes: string;
  metricsEndpoint: string;
}

export type ProjectField = keyof ProjectFormValues;

export type ProjectFieldError =
  | "nameRequired"
  | "nameTooLong"
  | "descriptionTooLong"
  | "envsRequired"
  | "envsInvalid"
  | "envsDuplicate"
  | "envsTooMany"
  | "windowRange"
  | "endpointInvalid";

export interface CreateProjectBody {
  name: string;
  description?: string;
  envs: string[];
  observationWindowMinutes: number;
  metricsEndpoint?: string;
}

const ENV = /^[a-z0-9][a-z0-9_-]{0,49}$/;

export function parseEnvs(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((env) => env.trim())
    .filter(Boolean);
}

export function parseWindow(value: string): number | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const minutes = Number(value);
  return minutes >= 1 && minutes <= OBSERVATION_WINDOW_MAX_MINUTES ? minutes : null;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export function validateProjectForm(
  values: ProjectFormValues,
):
  | { ok: true; body: CreateProjectBody }
  | { ok: false; errors: Partial<Record<ProjectField, ProjectFieldError>> } {
  const errors: Partial<Record<ProjectField, ProjectFieldError>> = detailErrors(values);
  const name = values.name.trim();
  const description = values.description.trim();
  const envs = parseEnvs(values.envs);
  const window = parseWindow(values.observationWindowMinutes);
  if (window === null) errors.observationWindowMinutes = "windowRange";
  const endpoint = values.metricsEndpoint.trim();
  if (endpoint && !isHttpUrl(endpoint)) errors.metricsEndpoint = "endpointInvalid";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      name,
      ...(description ? { description } : {}),
      envs,
      observationWindowMinutes: window as number,
      ...(endpoint ? { metricsEndpoint: endpoint } : {}),
    },
  };
}

export type ProjectDetailsValues = Pick<ProjectFormValues, "name" | "description" | "envs">;

/** What the settings tab changes with `PATCH /api/projects/:id`: null clears the description. */
export interface UpdateProjectBody {
  name: string;
  description: string | null;
  envs: string[];
}

function detailErrors(values: ProjectDetailsValues): Partial<Record<ProjectField, ProjectFieldError>> {
  const errors: Partial<Record<ProjectField, ProjectFieldError>> = {};
  const name = values.name.trim();
  if (!name) errors.name = "nameRequired";
  else if (name.length > PROJECT_NAME_MAX_LENGTH) errors.name = "nameTooLong";
  if (values.description.trim().length > PROJECT_DESCRIPTION_MAX_LENGTH)
    errors.description = "descriptionTooLong";
  const envs = parseEnvs(values.envs);
  if (envs.length === 0) errors.envs = "envsRequired";
  else if (envs.some((env) => !ENV.test(env))) errors.envs = "envsInvalid";
  else if (new Set(envs).size !== envs.length) errors.envs = "envsDuplicate";
  else if (envs.length > 10) errors.envs = "envsTooMany";
  return errors;
}

/** The settings tab's name, description and environments, checked as the API will. */
export function validateProjectDetails(
  values: ProjectDetailsValues,
):
  | { ok: true; body: UpdateProjectBody }
  | { ok: false; errors: Partial<Record<"name" | "description" | "envs", ProjectFieldError>> } {
  const errors = detailErrors(values);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const description = values.description.trim();
  return {
    ok: true,
    body: { name: values.name.trim(), description: description || null, envs: parseEnvs(values.envs) },
  };
}
