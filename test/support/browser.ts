// Headless Chromium (Debian's package) through playwright-core; Playwright cannot download a browser here.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.PIPER_CHROMIUM ?? "/usr/bin/chromium";

/** CI must have a browser (scripts/ensure-chromium.sh installs it); a developer without one gets a visible skip. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}; run scripts/ensure-chromium.sh`);
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
