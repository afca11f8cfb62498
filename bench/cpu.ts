// CPU accounting from /proc (Linux): a process's CPU time, and the whole machine's busy time, in ms.
import { readFileSync } from "node:fs";

/** USER_HZ: Linux reports these times in 1/100 s on every architecture Node runs on. */
const TICK_MS = 10;

/** utime + stime of a process from /proc/<pid>/stat; NaN elsewhere or once it has gone. */
export function processCpuMs(pid: number | undefined): number {
  try {
    // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15 (1-based).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return Number.NaN;
  }
}

/** CPU time all cores have spent busy (user, nice, system, irq, softirq, steal) since boot; NaN off Linux. */
export function machineBusyMs(): number {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) * TICK_MS;
  } catch {
    return Number.NaN;
  }
}

/** What a CPU meter reads at its end: the target's, its database's and the driver's CPU, and other work's cores. */
export interface CpuReading {
  cpuMs: number;
  databaseCpuMs: number;
  driverCpuMs: number;
  /** Cores everything else kept busy meanwhile, over `startedAt` → now. */
  otherCores: number;
}

/**
 * Starts counting CPU for one measured step: the target app's process, its database's processes, this
 * driver process and the whole machine. `read(startedAt)` gives the differences since the start.
 */
export async function startCpuMeter(target: { cpuMs(): number; databaseCpuMs(): Promise<Map<number, number>> }): Promise<{ read(startedAt: number): Promise<CpuReading> }> {
  const databaseBefore = await target.databaseCpuMs();
  const cpuBefore = target.cpuMs();
  const driverCpuBefore = process.cpuUsage();
  const machineBefore = machineBusyMs();
  return {
    async read(startedAt) {
      const cpuMs = target.cpuMs() - cpuBefore;
      let databaseCpuMs = 0;
      for (const [pid, ms] of await target.databaseCpuMs()) if (Number.isFinite(ms)) databaseCpuMs += ms - (databaseBefore.get(pid) ?? 0);
      const driverCpu = process.cpuUsage(driverCpuBefore);
      const driverCpuMs = (driverCpu.user + driverCpu.system) / 1000;
      const otherCores = (machineBusyMs() - machineBefore - cpuMs - databaseCpuMs - driverCpuMs) / (Date.now() - startedAt);
      return { cpuMs, databaseCpuMs, driverCpuMs, otherCores };
    },
  };
}
