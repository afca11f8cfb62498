import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchBrowser } from "../support/browser.js";
import { startTestPiper, type TestPiper } from "../support/piper.js";

describe.skipIf(!browserAvailable())("the local Slack page, in headless Chromium", () => {
  let piper: TestPiper;
  let browser: Browser;
  beforeAll(async () => {
    [piper, browser] = await Promise.all([startTestPiper(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await piper?.close();
  });

  it("typing “@piper help” in #general shows Piper's reply in the message's thread", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(piper.slackLocal.url);
    await page.getByTestId("channel-title").filter({ hasText: "#general" }).waitFor();
    await page.getByTestId("composer").fill("@piper help");
    await page.getByTestId("composer").press("Enter");

    const question = page.getByTestId("message").filter({ hasText: "help" }).last();
    await question.getByTestId("open-thread").waitFor({ timeout: 15_000 });
    expect(await question.getByTestId("open-thread").textContent()).toBe("1 reply");
    await question.getByTestId("open-thread").click();

    const reply = page.getByTestId("thread-reply").filter({ has: page.locator("[data-bot=true]") }).or(page.locator("[data-testid=thread-reply][data-bot=true]"));
    await reply.first().waitFor();
    expect(await reply.first().textContent()).toContain("/piper projects");
    // The reply is in the thread pane, not in the channel's top level.
    expect(await page.getByTestId("messages").locator("[data-bot=true]").count()).toBe(0);
    expect(await page.getByTestId("messages").locator(".mention").first().textContent()).toBe("@piper");

    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/emulator-threaded-reply.png" });
  });

  it("“/piper help” shows an answer only the asker can see, and the Home tab renders", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(piper.slackLocal.url);
    await page.getByTestId("channel-title").filter({ hasText: "#general" }).waitFor();
    await page.getByTestId("composer").fill("/piper help");
    await page.getByTestId("composer").press("Enter");
    const ephemeral = page.locator(".message.ephemeral").filter({ hasText: "/piper health" });
    await ephemeral.waitFor();
    expect(await ephemeral.textContent()).toContain("only visible to you");

    await page.getByTestId("app-home-link").click();
    await page.getByTestId("app-home").filter({ hasText: "Connections" }).waitFor();
    expect(await page.getByTestId("app-home").textContent()).toContain("GitHub");
    await page.screenshot({ path: "test-results/emulator-app-home.png" });
  });
});
