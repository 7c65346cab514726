import { useEffect, useState } from "react";
import { apiRequest } from "../../lib/api-client";
import type { Page, Project } from "../deployments/api-types";

/** The projects a list's "project" filter offers; none until they arrive (or if they fail). */
export function useProjectChoices(): Project[] {
  const [projects, setProjects] = useState<Project[]>([]);
  useEffect(() => {
    void apiRequest<Page<Project>>("GET", "/api/projects?limit=100").then((result) => {
      if (result.ok) setProjects(result.data.items);
    });
  }, []);
  return projects;
}
