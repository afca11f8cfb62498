// Project resolution never guesses: the message, then the room's link, then the workspace default; otherwise it asks.
import { describe, expect, it } from "vitest";
import { resolveProject, type ResolutionSources } from "../../src/workflows/project-resolution.js";
import type { KnownProject } from "../../src/workflows/projects.js";

function sources(over: { repos?: string[]; projects?: string[]; room?: string; known?: KnownProject[] } = {}): ResolutionSources & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    entities: { repos: over.repos ?? [], projects: over.projects ?? [] },
    roomRepo: async () => (reads.push("room"), over.room),
    projects: async () => (reads.push("projects"), over.known ?? []),
  };
}
const web: KnownProject = { name: "web", repo: "acme/web", isDefault: false };
const mobile: KnownProject = { name: "mobile", repo: "acme/mobile", isDefault: false };
const docs: KnownProject = { name: "docs", repo: null, isDefault: false };

describe("resolveProject", () => {
  it("takes the one repository the message names, before the room's link", async () => {
    const s = sources({ repos: ["acme/api"], room: "acme/web" });
    expect(await resolveProject(s)).toEqual({ kind: "resolved", repo: "acme/api", via: "message" });
    expect(s.reads).toEqual([]);
  });

  it("maps a named project to its repository", async () => {
    expect(await resolveProject(sources({ projects: ["mobile"], known: [web, mobile] }))).toEqual({ kind: "resolved", repo: "acme/mobile", via: "message" });
  });

  it("asks when the message names two repositories (the same one twice is one)", async () => {
    expect(await resolveProject(sources({ repos: ["acme/web", "ACME/WEB"] }))).toMatchObject({ kind: "resolved", repo: "acme/web" });
    expect(await resolveProject(sources({ repos: ["acme/web"], projects: ["mobile"], known: [web, mobile] }))).toEqual({
      kind: "ambiguous",
      candidates: ["acme/web", "acme/mobile"],
      why: "the message names more than one repository",
    });
  });

  it("says so when a named project has no repository", async () => {
    expect(await resolveProject(sources({ projects: ["docs"], known: [docs] }))).toEqual({ kind: "missing", why: "the project docs isn't linked to a GitHub repository" });
  });

  it("uses the room's link, then the workspace default", async () => {
    expect(await resolveProject(sources({ room: "acme/web", known: [{ ...mobile, isDefault: true }] }))).toEqual({ kind: "resolved", repo: "acme/web", via: "room" });
    expect(await resolveProject(sources({ known: [web, { ...mobile, isDefault: true }] }))).toEqual({ kind: "resolved", repo: "acme/mobile", via: "default" });
  });

  it("offers the workspace's projects when nothing decides, even a single one, and asks how when there are none", async () => {
    expect(await resolveProject(sources({ known: [web, docs, mobile] }))).toMatchObject({ kind: "ambiguous", candidates: ["acme/web", "acme/mobile"] });
    expect(await resolveProject(sources({ known: [web] }))).toMatchObject({ kind: "ambiguous", candidates: ["acme/web"] });
    expect(await resolveProject(sources({ known: [docs] }))).toMatchObject({ kind: "missing" });
  });
});
