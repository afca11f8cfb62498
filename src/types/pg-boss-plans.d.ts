// pg-boss 10 ships no types for its SQL plans; Piper uses exactly one of them (see src/slack/accepted-events.ts).
declare module "pg-boss/src/plans.js" {
  const plans: { insertJobs(schema: string): string; DEFAULT_SCHEMA: string };
  export default plans;
}
