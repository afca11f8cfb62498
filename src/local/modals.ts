// Modals as Slack does them: trigger_ids that open a view once within 3 s, the view Slack keeps, and its submission.
import { randomBytes } from "node:crypto";
import { IDS } from "./store.js";

/** Slack: "trigger_id expires 3 seconds after it is issued". */
export const TRIGGER_TTL_MS = 3_000;
export const TITLE_LIMIT = 24;
export const MODAL_BLOCK_LIMIT = 100;
export const PRIVATE_METADATA_LIMIT = 3_000;
export const CALLBACK_ID_LIMIT = 255;

/** A modal as Slack keeps it and shows it back: the app's view plus the fields Slack fills in. */
export interface ModalView {
  id: string;
  team_id: string;
  type: "modal";
  title: { type: "plain_text"; text: string };
  submit?: { type: "plain_text"; text: string };
  close?: { type: "plain_text"; text: string };
  blocks: Array<Record<string, unknown>>;
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, Record<string, unknown>> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

/** What a person typed or picked: `{ [block_id]: { [action_id]: text | option value(s) } }`. */
export type SubmittedValues = Record<string, Record<string, string | string[]>>;

export class TriggerIds {
  readonly #issued = new Map<string, { user: string; at: number; used: boolean }>();

  constructor(private readonly now: () => number) {}

  issue(user: string): string {
    const id = `${this.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString("hex")}`;
    this.#issued.set(id, { user, at: this.now(), used: false });
    return id;
  }

  /** The person a usable trigger_id was issued to, or the error views.open answers for it. */
  check(id: unknown): { user: string } | { error: string } {
    const trigger = typeof id === "string" ? this.#issued.get(id) : undefined;
    if (!trigger) return { error: "invalid_trigger_id" };
    // Slack documents exchanged_trigger_id, "The trigger_id was already exchanged in a previous call": one use each.
    if (trigger.used) return { error: "exchanged_trigger_id" };
    if (this.now() - trigger.at > TRIGGER_TTL_MS) return { error: "expired_trigger_id" };
    return { user: trigger.user };
  }

  use(id: string): void {
    const trigger = this.#issued.get(id);
    if (trigger) trigger.used = true;
  }
}

const plainText = (v: unknown): v is { type: "plain_text"; text: string } =>
  typeof v === "object" && v !== null && (v as { type?: unknown }).type === "plain_text" && typeof (v as { text?: unknown }).text === "string";

/**
 * The mistakes Slack refuses a modal for, as its invalid_arguments messages word them (empty: fine).
 * Not every rule Slack has: enough to catch a view that would never open in Slack.
 */
export function modalProblems(view: unknown): string[] {
  if (typeof view !== "object" || view === null) return ["[ERROR] must provide an object [json-pointer:/view]"];
  const v = view as Record<string, unknown>;
  const problems: string[] = [];
  if (v.type !== "modal") problems.push("[ERROR] must be one of [modal] [json-pointer:/view/type]");
  for (const [field, required] of [["title", true], ["submit", false], ["close", false]] as const) {
    const text = v[field];
    if (text === undefined) {
      if (required) problems.push(`[ERROR] missing required field: ${field} [json-pointer:/view]`);
    } else if (!plainText(text)) problems.push(`[ERROR] must be a plain_text object [json-pointer:/view/${field}]`);
    else if (text.text.length > TITLE_LIMIT) problems.push(`[ERROR] must be less than ${TITLE_LIMIT + 1} characters [json-pointer:/view/${field}/text]`);
  }
  if (!Array.isArray(v.blocks)) problems.push("[ERROR] missing required field: blocks [json-pointer:/view]");
  else {
    if (v.blocks.length > MODAL_BLOCK_LIMIT) problems.push(`[ERROR] no more than ${MODAL_BLOCK_LIMIT} items allowed [json-pointer:/view/blocks]`);
    const hasInput = v.blocks.some((b) => (b as { type?: unknown } | null)?.type === "input");
    if (hasInput && v.submit === undefined) problems.push("[ERROR] must provide submit when the view has input blocks [json-pointer:/view/submit]");
  }
  for (const [field, limit] of [["private_metadata", PRIVATE_METADATA_LIMIT], ["callback_id", CALLBACK_ID_LIMIT]] as const) {
    const value = v[field];
    if (value === undefined) continue;
    if (typeof value !== "string") problems.push(`[ERROR] must be a string [json-pointer:/view/${field}]`);
    else if (value.length > limit) problems.push(`[ERROR] must be less than ${limit + 1} characters [json-pointer:/view/${field}]`);
  }
  return problems;
}

/** The view Slack keeps for an app's (already checked) view; an update keeps the id and gets a fresh hash. */
export function storedModal(view: Record<string, unknown>, previous?: ModalView): ModalView {
  const id = previous?.id ?? `V${randomBytes(5).toString("hex").toUpperCase()}`;
  return {
    ...(view as Partial<ModalView>),
    id,
    team_id: IDS.team,
    type: "modal",
    title: view.title as ModalView["title"],
    blocks: view.blocks as ModalView["blocks"],
    private_metadata: (view.private_metadata as string | undefined) ?? "",
    callback_id: (view.callback_id as string | undefined) ?? "",
    external_id: (view.external_id as string | undefined) ?? previous?.external_id ?? "",
    state: { values: {} },
    hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString("hex")}`,
    clear_on_close: view.clear_on_close === true,
    notify_on_close: view.notify_on_close === true,
    root_view_id: previous?.root_view_id ?? id,
    previous_view_id: null,
    app_id: IDS.app,
    app_installed_team_id: IDS.team,
    bot_id: IDS.bot,
  };
}

interface InputElement {
  type?: string;
  action_id?: string;
  initial_value?: string;
  initial_option?: unknown;
  initial_options?: unknown[];
  options?: Array<{ value?: string }>;
}

/**
 * view.state.values as Slack sends them on submit: every input block, with what the person entered
 * (`values`) or else what the field showed (its initial value). Throws on a value for no such field,
 * or an option the select does not offer: a test asking for what no person could do.
 */
export function stateValues(view: ModalView, values: SubmittedValues): ModalView["state"]["values"] {
  const state: ModalView["state"]["values"] = {};
  const seen = new Set<string>();
  for (const block of view.blocks) {
    const el = block.element as InputElement | undefined;
    if (block.type !== "input" || !el?.action_id || typeof block.block_id !== "string") continue;
    const given = values[block.block_id]?.[el.action_id];
    seen.add(`${block.block_id}/${el.action_id}`);
    const pick = (value: string) => {
      const option = el.options?.find((o) => o.value === value);
      if (!option) throw new Error(`${block.block_id}/${el.action_id} has no option ${value}`);
      return option;
    };
    const entry: Record<string, unknown> = { type: el.type };
    // Slack sends null, not "", for a text field left empty.
    if (el.type === "plain_text_input") entry.value = (given === undefined ? el.initial_value : String(given)) || null;
    else if (el.type === "static_select") entry.selected_option = given === undefined ? (el.initial_option ?? null) : pick(String(given));
    else if (el.type === "multi_static_select") entry.selected_options = given === undefined ? (el.initial_options ?? []) : [given].flat().map(pick);
    else if (given !== undefined) throw new Error(`the emulator cannot fill in a ${String(el.type)} (${block.block_id}/${el.action_id})`);
    (state[block.block_id] ??= {})[el.action_id] = entry;
  }
  for (const [blockId, actions] of Object.entries(values)) {
    for (const actionId of Object.keys(actions)) {
      if (!seen.has(`${blockId}/${actionId}`)) throw new Error(`view ${view.id} has no input ${blockId}/${actionId}`);
    }
  }
  return state;
}

/** The view_submission payload Slack sends when a person presses the modal's submit button. */
export function viewSubmissionPayload(input: { view: ModalView; values: ModalView["state"]["values"]; user: string; userName: string; triggerId: string }): Record<string, unknown> {
  return {
    type: "view_submission",
    team: { id: IDS.team, domain: IDS.teamDomain },
    user: { id: input.user, username: input.userName, name: input.userName, team_id: IDS.team },
    api_app_id: IDS.app,
    token: "local-verification-token",
    trigger_id: input.triggerId,
    view: { ...input.view, state: { values: input.values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** What the app's ack to a view_submission does to the modal. */
export type SubmissionOutcome = { kind: "close" } | { kind: "errors"; errors: Record<string, string> } | { kind: "update"; view: Record<string, unknown> } | { kind: "stay" };

/**
 * Slack reads the ack body: nothing, `{}` or `clear` closes the modal; `errors` shows messages under
 * their blocks; `update` replaces it. Anything else (no ack in time, an invalid view, `push`, which
 * the emulator does not stack) leaves it open, as Slack does when it shows its "trouble connecting" error.
 */
export function submissionOutcome(status: number, body: unknown): SubmissionOutcome {
  if (status < 200 || status >= 300) return { kind: "stay" };
  const ack = (typeof body === "object" && body !== null ? body : {}) as { response_action?: string; errors?: Record<string, string>; view?: Record<string, unknown> };
  if (ack.response_action === undefined || ack.response_action === "clear") return { kind: "close" };
  if (ack.response_action === "errors" && ack.errors) return { kind: "errors", errors: ack.errors };
  if (ack.response_action === "update" && modalProblems(ack.view).length === 0) return { kind: "update", view: ack.view! };
  return { kind: "stay" };
}
