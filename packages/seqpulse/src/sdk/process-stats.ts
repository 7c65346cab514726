/**
 * CPU and memory of this process as ratios (0..1), read through `globalThis.process` so the
 * module loads anywhere: where there is no Node process (Workers without Node compatibility,
 * browsers), both are 0.
 */
interface NodeProcessLike {
  cpuUsage?: () => { user: number; system: number };
  memoryUsage?: { rss?: () => number } & (() => { rss: number });
  constrainedMemory?: () => number | undefined;
  hrtime?: { bigint?: () => bigint };
  getBuiltinModule?: (id: string) => unknown;
}

export interface ProcessStats {
  /** Share of the machine's CPU time (all cores) the process used since the previous reading. */
  cpuUsage(): number;
  /** Resident memory over the memory the process may use (its cgroup limit, else the machine's). */
  memoryUsage(): number;
}

export function processStats(): ProcessStats {
  const proc = (globalThis as { process?: NodeProcessLike }).process;
  const os = proc?.getBuiltinModule?.("node:os") as
    | { availableParallelism?: () => number; cpus?: () => unknown[]; totalmem?: () => number }
    | undefined;
  const cores = os?.availableParallelism?.() ?? os?.cpus?.().length ?? 1;
  let last = readCpu(proc);

  return {
    cpuUsage() {
      const current = readCpu(proc);
      if (!current || !last) return 0;
      const wallMicros = Number(current.wallNanos - last.wallNanos) / 1000;
      const cpuMicros = current.cpuMicros - last.cpuMicros;
      // Readings closer than 100 ms apart say little: keep the previous baseline for the next one.
      if (wallMicros < 100_000) return clampRatio(cpuMicros / Math.max(1, wallMicros) / cores);
      last = current;
      return clampRatio(cpuMicros / wallMicros / cores);
    },
    memoryUsage() {
      if (!proc?.memoryUsage) return 0;
      const rss = proc.memoryUsage.rss ? proc.memoryUsage.rss() : proc.memoryUsage().rss;
      const total = os?.totalmem?.() ?? 0;
      // Without a cgroup limit Node reports 0 or a huge number: the machine's memory is the limit.
      const constrained = proc.constrainedMemory?.() ?? 0;
      const limit = constrained > 0 && (total === 0 || constrained < total) ? constrained : total;
      return limit > 0 ? clampRatio(rss / limit) : 0;
    },
  };
}

function readCpu(proc: NodeProcessLike | undefined): { cpuMicros: number; wallNanos: bigint } | null {
  if (!proc?.cpuUsage || !proc.hrtime?.bigint) return null;
  const usage = proc.cpuUsage();
  return { cpuMicros: usage.user + usage.system, wallNanos: proc.hrtime.bigint() };
}

function clampRatio(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
