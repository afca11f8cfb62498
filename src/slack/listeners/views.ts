// view_submission: someone saved a modal Piper opened. The ack carries the answer (errors keep the modal open), so
// the handler decides quickly; slower work (updating messages) runs after the ack.
import type { App } from "@slack/bolt";
import { z } from "zod";
import type { Logger } from "../../logger.js";

export const viewSubmissionSchema = z.object({
  type: z.literal("view_submission"),
  user: z.object({ id: z.string().min(1) }),
  view: z.object({
    id: z.string(),
    callback_id: z.string(),
    private_metadata: z.string().default(""),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.object({ type: z.string(), value: z.string().nullable().optional() }).passthrough())) }),
  }),
});
export type ViewSubmission = z.infer<typeof viewSubmissionSchema>;

/** What a submission handler decided: errors to show by block_id, or what to do once the modal has closed. */
export interface ViewOutcome {
  errors?: Record<string, string>;
  after?: () => Promise<void>;
}

export type ViewHandler = (submission: ViewSubmission, log: Logger) => Promise<ViewOutcome>;

export interface RegisteredViews {
  settled(): Promise<void>;
}

/** The text a person typed into an input block (`block_id` → its one element's value). */
export function inputValue(submission: ViewSubmission, blockId: string): string {
  const block = submission.view.state.values[blockId];
  const element = block ? Object.values(block)[0] : undefined;
  return element?.value ?? "";
}

export function registerViews(app: App, handlers: Record<string, ViewHandler>, logger: Logger): RegisteredViews {
  const inFlight = new Set<Promise<void>>();
  for (const [callbackId, handler] of Object.entries(handlers)) {
    app.view(callbackId, async ({ body, ack }) => {
      const parsed = viewSubmissionSchema.safeParse(body);
      if (!parsed.success) {
        logger.warn({ callbackId, issues: parsed.error.issues.length }, "view_submission with an unexpected shape; closed");
        await ack();
        return;
      }
      const log = logger.child({ callbackId, user: parsed.data.user.id });
      let outcome: ViewOutcome;
      try {
        outcome = await handler(parsed.data, log);
      } catch (err) {
        log.error({ err }, "view submission failed");
        await ack({ response_action: "errors", errors: { [firstBlock(parsed.data)]: "Something went wrong saving this — please try again." } });
        return;
      }
      if (outcome.errors && Object.keys(outcome.errors).length > 0) {
        await ack({ response_action: "errors", errors: outcome.errors });
        return;
      }
      await ack();
      if (!outcome.after) return;
      const work: Promise<void> = outcome
        .after()
        .catch((err: unknown) => log.error({ err }, "work after a view submission failed"))
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
    });
  }
  return {
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

function firstBlock(submission: ViewSubmission): string {
  return Object.keys(submission.view.state.values)[0] ?? "title";
}
