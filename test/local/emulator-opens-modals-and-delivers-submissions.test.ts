import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, LogLevel, SocketModeReceiver, type ViewResponseAction } from "@slack/bolt";
import { WebClient, type WebAPICallError } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";
import { browserAvailable, launchBrowser } from "../support/browser.js";

const SECRET = "modal-test-secret";
const TOKEN = "xoxb-modal-test";
const APP_TOKEN = "xapp-modal-test";

const option = (value: string) => ({ text: { type: "plain_text" as const, text: value }, value });

/** The modal Piper opens from a draft's "Edit" button. */
function editDraftView(title = "Edit issue draft") {
  return {
    type: "modal" as const,
    callback_id: "edit_issue_draft",
    private_metadata: JSON.stringify({ draftId: "draft-42", thread: "1700000000.000100" }),
    title: { type: "plain_text" as const, text: title },
    submit: { type: "plain_text" as const, text: "Save draft" },
    close: { type: "plain_text" as const, text: "Cancel" },
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: "Piper drafted this issue from the thread." } },
      { type: "input", block_id: "title", label: { type: "plain_text", text: "Title" }, element: { type: "plain_text_input", action_id: "value", initial_value: "Login fails" } },
      { type: "input", block_id: "body", label: { type: "plain_text", text: "Description" }, element: { type: "plain_text_input", action_id: "value", multiline: true, initial_value: "Seen on Android 14 after the update." } },
      { type: "input", block_id: "labels", optional: true, label: { type: "plain_text", text: "Labels" }, element: { type: "multi_static_select", action_id: "value", options: [option("bug"), option("mobile"), option("ux")] } },
    ],
  };
}

interface Submission {
  user: string;
  callbackId: string;
  privateMetadata: string;
  values: unknown;
}

type Transport = "http" | "socket";

describe("the emulator opens modals and delivers their submissions", () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** The clock trigger_ids expire by: moved by the test, never by the machine. */
  let clock = 1_700_000_000_000;

  async function emulator(): Promise<LocalSlack> {
    clock = 1_700_000_000_000;
    const slack = await startLocalSlack({ port: 0, signingSecret: SECRET, botToken: TOKEN, appToken: APP_TOKEN, now: () => clock });
    cleanups.push(() => slack.close());
    return slack;
  }

  /**
   * A real Bolt app: its "Edit" button opens the draft modal (unless openOnClick is off: then it only
   * keeps the trigger_id), and its view handler refuses an empty title like Piper would.
   */
  async function boltApp(slack: LocalSlack, transport: Transport) {
    const clientOptions = { slackApiUrl: slack.apiUrl };
    const seen = { triggers: [] as string[], submissions: [] as Submission[], openOnClick: true, ackWith: undefined as ViewResponseAction | undefined };
    let app: App;
    if (transport === "socket") {
      const receiver = new SocketModeReceiver({ appToken: APP_TOKEN, installerOptions: { clientOptions }, logLevel: LogLevel.ERROR, autoReconnectEnabled: false });
      app = new App({ token: TOKEN, receiver, clientOptions, logLevel: LogLevel.ERROR });
      await app.start();
      // app.stop() does not wait for the socket to close; closing the emulator under it would log an error.
      cleanups.push(() => receiver.client.disconnect());
    } else {
      app = new App({ token: TOKEN, signingSecret: SECRET, clientOptions, logLevel: LogLevel.ERROR });
      const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
      slack.setDeliveryUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
      cleanups.push(() => {
        server.closeAllConnections();
        return app.stop();
      });
    }
    app.action("edit_draft", async ({ ack, body, client }) => {
      await ack();
      const triggerId = (body as { trigger_id: string }).trigger_id;
      seen.triggers.push(triggerId);
      if (seen.openOnClick) await client.views.open({ trigger_id: triggerId, view: editDraftView() });
    });
    app.command("/piper", async ({ ack, body, client }) => {
      await ack();
      seen.triggers.push(body.trigger_id);
      await client.views.open({ trigger_id: body.trigger_id, view: editDraftView() });
    });
    app.view("edit_issue_draft", async ({ ack, view, body }) => {
      seen.submissions.push({ user: body.user.id, callbackId: view.callback_id, privateMetadata: view.private_metadata, values: view.state.values });
      if (seen.ackWith) return ack(seen.ackWith);
      if (!view.state.values.title?.value?.value) return ack({ response_action: "errors", errors: { title: "A title is required" } });
      await ack();
    });
    return seen;
  }

  async function postDraft(slack: LocalSlack): Promise<string> {
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl });
    const posted = await client.chat.postMessage({
      channel: slack.channels.general,
      text: "Issue draft: Login fails",
      blocks: [{ type: "actions", elements: [{ type: "button", action_id: "edit_draft", text: { type: "plain_text", text: "Edit" }, value: "draft-42" }] }],
    });
    return posted.ts!;
  }

  /** The Slack error a Web API call was refused with. */
  async function refusal(call: Promise<unknown>): Promise<{ error: string; messages?: string[] }> {
    const err = (await call.then(
      () => undefined,
      (e: unknown) => e,
    )) as WebAPICallError & { data?: { error: string; response_metadata?: { messages?: string[] } } };
    if (!err) throw new Error("the call was not refused");
    return { error: err.data?.error ?? String(err), messages: err.data?.response_metadata?.messages };
  }

  it.each<Transport>(["http", "socket"])("over %s: a button opens the modal, and the app's view handler receives what was submitted", async (transport) => {
    const slack = await emulator();
    const app = await boltApp(slack, transport);
    const ts = await postDraft(slack);

    const click = await slack.click({ channel: slack.channels.general, ts, actionId: "edit_draft" });
    expect(click.status).toBe(200);
    const opened = await slack.waitFor(() => slack.openView());
    expect(opened).toMatchObject({ type: "modal", team_id: slack.teamId, callback_id: "edit_issue_draft", title: { text: "Edit issue draft" }, submit: { text: "Save draft" }, state: { values: {} } });
    expect(opened.id).toMatch(/^V[0-9A-Z]+$/);
    expect(opened.private_metadata).toBe(editDraftView().private_metadata);
    expect(opened.blocks).toEqual(editDraftView().blocks);
    // The app exchanged the trigger_id Slack sent with the click.
    expect(app.triggers).toEqual([click.payload.trigger_id]);
    expect(slack.calls.filter((c) => c.method === "views.open").map((c) => c.args.trigger_id)).toEqual([click.payload.trigger_id]);

    // An empty title: the app answers errors, and the modal stays open showing them.
    const refused = await slack.submitView({ values: { title: { value: "" } } });
    expect(refused).toMatchObject({ status: 200, closed: false, errors: { title: "A title is required" } });
    expect(slack.openView()?.id).toBe(opened.id);

    const saved = await slack.submitView({ viewId: opened.id, values: { title: { value: "Login fails on Android 14" }, labels: { value: ["bug", "mobile"] } } });
    expect(saved).toMatchObject({ status: 200, closed: true });
    expect(saved.errors).toBeUndefined();
    expect(slack.openView()).toBeUndefined();
    expect(saved.payload).toMatchObject({ type: "view_submission", team: { id: slack.teamId }, api_app_id: slack.appId, response_urls: [], view: { id: opened.id, hash: opened.hash } });

    expect(app.submissions).toEqual([
      {
        user: slack.users.alice,
        callbackId: "edit_issue_draft",
        privateMetadata: editDraftView().private_metadata,
        values: {
          title: { value: { type: "plain_text_input", value: null } },
          body: { value: { type: "plain_text_input", value: "Seen on Android 14 after the update." } },
          labels: { value: { type: "multi_static_select", selected_options: [] } },
        },
      },
      {
        user: slack.users.alice,
        callbackId: "edit_issue_draft",
        privateMetadata: editDraftView().private_metadata,
        values: {
          title: { value: { type: "plain_text_input", value: "Login fails on Android 14" } },
          body: { value: { type: "plain_text_input", value: "Seen on Android 14 after the update." } },
          labels: { value: { type: "multi_static_select", selected_options: [option("bug"), option("mobile")] } },
        },
      },
    ]);
    await expect(slack.submitView({ values: {} })).rejects.toThrow(/no open view/);
  });

  it("an ack with response_action update replaces the open modal", async () => {
    const slack = await emulator();
    const app = await boltApp(slack, "http");
    await slack.click({ channel: slack.channels.general, ts: await postDraft(slack), actionId: "edit_draft" });
    const opened = await slack.waitFor(() => slack.openView());
    app.ackWith = { response_action: "update", view: { ...editDraftView("Draft saved"), blocks: [{ type: "section", text: { type: "mrkdwn", text: "Saved." } }], submit: undefined } };
    const result = await slack.submitView({});
    expect(result.closed).toBe(false);
    expect(slack.openView()).toMatchObject({ id: opened.id, title: { text: "Draft saved" }, blocks: [{ type: "section" }] });
    expect(slack.openView()?.hash).not.toBe(opened.hash);
  });

  it("a trigger_id opens one modal, within 3 seconds of the interaction", async () => {
    const slack = await emulator();
    const app = await boltApp(slack, "http");
    app.openOnClick = false;
    const ts = await postDraft(slack);
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });

    await slack.click({ channel: slack.channels.general, ts, actionId: "edit_draft" });
    clock += 4_000;
    expect(await refusal(client.views.open({ trigger_id: app.triggers[0]!, view: editDraftView() }))).toMatchObject({ error: "expired_trigger_id" });

    await slack.click({ channel: slack.channels.general, ts, actionId: "edit_draft" });
    const fresh = app.triggers[1]!;
    // A view Slack would refuse does not use the trigger up.
    const bad = await refusal(client.views.open({ trigger_id: fresh, view: { ...editDraftView("A title longer than twenty-four"), submit: undefined } }));
    expect(bad.error).toBe("invalid_arguments");
    expect(bad.messages).toEqual(["[ERROR] must be less than 25 characters [json-pointer:/view/title/text]", "[ERROR] must provide submit when the view has input blocks [json-pointer:/view/submit]"]);
    clock += 2_999;
    expect((await client.views.open({ trigger_id: fresh, view: editDraftView() })).ok).toBe(true);
    expect(await refusal(client.views.open({ trigger_id: fresh, view: editDraftView() }))).toMatchObject({ error: "exchanged_trigger_id" });
    expect(await refusal(client.views.open({ trigger_id: "12345.98765.abcd2358fdea", view: editDraftView() }))).toMatchObject({ error: "invalid_trigger_id" });
  });

  it("a slash command's trigger_id opens a modal too", async () => {
    const slack = await emulator();
    const app = await boltApp(slack, "http");
    await slack.slashCommand({ channel: slack.channels.general, text: "edit draft-42" });
    expect(await slack.waitFor(() => slack.openView())).toMatchObject({ callback_id: "edit_issue_draft" });
    expect(app.triggers).toHaveLength(1);
  });

  it("views.update replaces the open modal by id or external_id, and refuses a stale hash with hash_conflict", async () => {
    const slack = await emulator();
    await boltApp(slack, "http");
    await slack.click({ channel: slack.channels.general, ts: await postDraft(slack), actionId: "edit_draft" });
    const opened = await slack.waitFor(() => slack.openView());
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });

    const updated = await client.views.update({ view_id: opened.id, hash: opened.hash, view: { ...editDraftView("Edit issue draft (2)"), external_id: "draft-42" } });
    expect(updated.view).toMatchObject({ id: opened.id, title: { text: "Edit issue draft (2)" }, external_id: "draft-42" });
    expect(updated.view?.hash).not.toBe(opened.hash);
    expect(slack.openView()).toMatchObject({ id: opened.id, title: { text: "Edit issue draft (2)" } });

    expect(await refusal(client.views.update({ view_id: opened.id, hash: opened.hash, view: editDraftView("Stale edit") }))).toMatchObject({ error: "hash_conflict" });
    expect(slack.openView()?.title.text).toBe("Edit issue draft (2)");
    expect((await client.views.update({ external_id: "draft-42", view: editDraftView("By external id") })).view).toMatchObject({ id: opened.id, external_id: "draft-42" });
    expect(await refusal(client.views.update({ view_id: "V0NOSUCHVIEW", view: editDraftView() }))).toMatchObject({ error: "not_found" });
  });

  it.skipIf(!browserAvailable())("the page shows alice's modal: its fields, the app's errors under their block, and closes it once saved", async () => {
    const slack = await emulator();
    const app = await boltApp(slack, "http");
    await postDraft(slack);
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(slack.url);
    await page.getByTestId("channel-title").filter({ hasText: "#general" }).waitFor();
    await page.getByRole("button", { name: "Edit" }).click();

    const modal = page.getByTestId("modal");
    await modal.waitFor();
    expect(await modal.locator("header").textContent()).toContain("Edit issue draft");
    expect(await modal.locator("textarea[data-block-id=body]").inputValue()).toBe("Seen on Android 14 after the update.");
    await modal.locator("input[data-block-id=title]").fill("Login fails on Android 14");
    await modal.locator("select[data-block-id=labels]").selectOption(["bug", "mobile"]);

    app.ackWith = { response_action: "errors", errors: { body: "Add the steps to reproduce" } };
    await modal.getByTestId("modal-submit").click();
    await modal.locator("[data-error-for=body]").filter({ hasText: "Add the steps to reproduce" }).waitFor();
    // The view stays open with what alice typed.
    expect(await modal.locator("input[data-block-id=title]").inputValue()).toBe("Login fails on Android 14");
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/emulator-modal-with-errors.png" });

    app.ackWith = undefined;
    await modal.locator("textarea[data-block-id=body]").fill("1. Update\n2. Log in");
    await modal.getByTestId("modal-submit").click();
    await page.getByTestId("modal-backdrop").waitFor({ state: "hidden" });
    expect(slack.openView()).toBeUndefined();
    expect(app.submissions.at(-1)?.values).toEqual({
      title: { value: { type: "plain_text_input", value: "Login fails on Android 14" } },
      body: { value: { type: "plain_text_input", value: "1. Update\n2. Log in" } },
      labels: { value: { type: "multi_static_select", selected_options: [option("bug"), option("mobile")] } },
    });

    // Cancel closes the modal without telling the app.
    await page.getByRole("button", { name: "Edit" }).click();
    await modal.waitFor();
    await modal.getByRole("button", { name: "Cancel" }).click();
    await page.getByTestId("modal-backdrop").waitFor({ state: "hidden" });
    expect(slack.openView()).toBeUndefined();
    expect(app.submissions).toHaveLength(2);
  });
});
