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
