#!/usr/bin/env node
// The `piper` command: runs the TypeScript entry through tsx, as `npm start` does (no build step needed).
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
