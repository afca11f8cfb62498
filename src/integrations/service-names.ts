// How each service is named to people — the one place: health lists, the Home tab and error sentences all read it.
export type ServiceName = "slack" | "github" | "notion" | "llm";

/** As a heading or a list item ("*Language model* — working"). */
export const SERVICE_DISPLAY_NAME: Record<ServiceName, string> = { slack: "Slack", github: "GitHub", notion: "Notion", llm: "Language model" };

/** As the subject of a sentence ("The language model is unavailable right now"). */
export const SERVICE_LABEL: Record<ServiceName, string> = { ...SERVICE_DISPLAY_NAME, llm: "The language model" };
