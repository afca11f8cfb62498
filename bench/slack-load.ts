// Offered-load bench: mentions sent by the emulator at rising rates to Piper and to a bare echo Bolt app, side by side.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { App, LogLevel } from "@slack/bolt";
import type { LocalSlack } from "../src/local/index.js";
import { summarize, type Summary } from "./stats.js";

export interface LoadTarget {
  name: string;
  /** Where the emulator should deliver events while this target is measured. */
  eventsUrl: string;
  /** True once the target has nothing left to do (so the next step starts from rest). */
  idle(): boolean;
}

export interface LoadStep {
  target: string;
  rate: number;
  sent: number;
  acked: number;
  lateOrFailedAcks: number;
  replies: number;
  lost: number;
  ack: Summary;
  reply: Summary;
}

const ACK_DEADLINE_MS = 3_000;

/** Sends `rate` mentions per second for `seconds`, spread over the emulator's channels, and measures acks and replies. */
export async function runStep(slack: LocalSlack, target: LoadTarget, botUserId: string, rate: number, seconds: number): Promise<LoadStep> {
  slack.setDeliveryUrl(target.eventsUrl);
  const channels = [slack.channels.general, slack.channels.random, slack.channels.mobile];
  const total = Math.max(1, Math.round(rate * seconds));
  const firstCall = slack.calls.length;
  const firstDelivery = slack.deliveries.length;
  const sent: Array<{ channel: string; ts: string; at: number; eventIds: string[] }> = [];
  const started = Date.now();
  const inflight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const channel = channels[i % channels.length]!;
    const at = Date.now();
    inflight.push(
      slack.postUserMessage({ channel, text: `<@${botUserId}> load ${rate}/${i}` }).then(({ ts, eventIds }) => {
        sent.push({ channel, ts, at, eventIds });
      }),
    );
  }
  await Promise.all(inflight);
  const deadline = Date.now() + 20_000;
  const replyAt = () => {
    const map = new Map<string, number>();
    for (const c of slack.calls.slice(firstCall)) {
      if (c.method === "chat.postMessage" && typeof c.args.thread_ts === "string" && !map.has(c.args.thread_ts)) map.set(c.args.thread_ts, c.at);
    }
    return map;
  };
  while (Date.now() < deadline && (replyAt().size < sent.length || !target.idle())) await new Promise((r) => setTimeout(r, 25));
  const replies = replyAt();
  const mentionIds = new Set(sent.flatMap((s) => s.eventIds));
  const deliveries = slack.deliveries.slice(firstDelivery).filter((d) => d.eventId !== undefined && mentionIds.has(d.eventId) && d.attempt === 0);
  const ackMs = deliveries.filter((d) => d.status >= 200 && d.status < 300).map((d) => d.ms);
  const late = deliveries.filter((d) => d.status < 200 || d.status >= 300 || d.ms > ACK_DEADLINE_MS).length;
  const replyMs = sent.flatMap((s) => (replies.has(s.ts) ? [replies.get(s.ts)! - s.at] : []));
  return {
    target: target.name,
    rate,
    sent: sent.length,
    acked: ackMs.length,
    lateOrFailedAcks: late,
    replies: replyMs.length,
    lost: sent.length - replyMs.length,
    ack: summarize(ackMs),
    reply: summarize(replyMs),
  };
}

/** The floor any Bolt app pays: verify, ack, echo into the thread. Nothing else. */
export async function startBareBoltEcho(slack: LocalSlack, botToken: string, signingSecret: string): Promise<{ target: LoadTarget; stop(): Promise<void> }> {
  const app = new App({ token: botToken, signingSecret, clientOptions: { slackApiUrl: slack.apiUrl }, logLevel: LogLevel.ERROR });
  let pending = 0;
  app.event("app_mention", async ({ event, say }) => {
    pending++;
    try {
      await say({ text: event.text, thread_ts: event.thread_ts ?? event.ts });
    } finally {
      pending--;
    }
  });
  const server = (await app.start(0)) as Server;
  const port = (server.address() as AddressInfo).port;
  return {
    target: { name: "bare Bolt echo", eventsUrl: `http://127.0.0.1:${port}/slack/events`, idle: () => pending === 0 },
    stop: async () => {
      await app.stop();
    },
  };
}
