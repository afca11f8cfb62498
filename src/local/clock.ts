// The emulator's clock for the times it reports (calls, deliveries): milliseconds since the epoch, to the microsecond.

/**
 * Date.now() counts whole milliseconds, and a latency of a few of them — a bare Bolt app's reply p99 is 4–7 ms
 * — then jumps by a fifth per tick: the bench's ratios of such figures moved with the rounding. This is the
 * same epoch on the process's monotonic high-resolution clock, so differences are exact and never negative.
 */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
