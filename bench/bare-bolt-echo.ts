// The floor any Bolt app pays, as its own process: verify, ack, echo into the thread. The bench spawns it beside Piper.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { App, LogLevel } from "@slack/bolt";

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`bare Bolt echo cannot start: ${name} is not set\n`);
    process.exit(1);
  }
  return value;
};

const app = new App({
  token: need("SLACK_BOT_TOKEN"),
  signingSecret: need("SLACK_SIGNING_SECRET"),
  clientOptions: { slackApiUrl: need("SLACK_API_URL") },
  logLevel: LogLevel.ERROR,
});
app.event("app_mention", async ({ event, say }) => {
  await say({ text: event.text, thread_ts: event.thread_ts ?? event.ts });
});

const server = (await app.start({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1" })) as Server;
const { port } = server.address() as AddressInfo;
process.stdout.write(`bare Bolt echo is up — Slack requests on http://127.0.0.1:${port}/slack/events\n`);

const stop = () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
