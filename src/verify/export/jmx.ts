/** Small builders for JMeter's JMX: every element is followed by a hashTree of its children. */
export const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A JMeter variable or function reference, `${…}`, evaluated by JMeter at run time. */
export const jm = (expression: string) => `$${"{"}${expression}}`;

export type Prop = readonly ["string" | "bool" | "int" | "long", string, string | number | boolean];

export const props = (list: readonly Prop[]) =>
  list.map(([type, name, value]) => `<${type}Prop name="${esc(name)}">${esc(String(value))}</${type}Prop>`).join("");

/** An element and its subtree. */
export function element(
  tag: string,
  gui: string,
  name: string,
  body: string,
  children: readonly string[] = [],
  testclass = tag,
): string {
  return `<${tag} guiclass="${gui}" testclass="${testclass}" testname="${esc(name)}" enabled="true">${body}</${tag}>\n<hashTree>${children.join("\n")}</hashTree>`;
}

/** Arguments; HTTP ones are URL-encoded by JMeter unless `encode` is false (a raw body must go as written). */
export const args = (list: readonly (readonly [string, string])[], http = false, encode = true) =>
  `<collectionProp name="Arguments.arguments">${list
    .map(
      ([name, value]) =>
        `<elementProp name="${esc(name)}" elementType="${http ? "HTTPArgument" : "Argument"}">${props([
          ...(http ? ([["bool", "HTTPArgument.always_encode", encode]] as Prop[]) : []),
          ["string", "Argument.name", name],
          ["string", "Argument.value", value],
          ["string", "Argument.metadata", "="],
          ...(http ? ([["bool", "HTTPArgument.use_equals", true]] as Prop[]) : []),
        ])}</elementProp>`,
    )
    .join("")}</collectionProp>`;

export function sampler(
  label: string,
  method: string,
  path: string,
  options: { form?: readonly (readonly [string, string])[]; rawBody?: string },
  children: readonly string[] = [],
): string {
  const list = options.rawBody !== undefined ? [["", options.rawBody] as const] : (options.form ?? []);
  const body =
    `<boolProp name="HTTPSampler.postBodyRaw">${options.rawBody !== undefined}</boolProp>` +
    `<elementProp name="HTTPsampler.Arguments" elementType="Arguments" guiclass="HTTPArgumentsPanel" testclass="Arguments" enabled="true">${args(list, true, options.rawBody === undefined)}</elementProp>` +
    props([
      ["string", "HTTPSampler.domain", jm("__P(host,127.0.0.1)")],
      ["string", "HTTPSampler.port", jm("__P(port,8080)")],
      ["string", "HTTPSampler.protocol", jm("__P(protocol,http)")],
      ["string", "HTTPSampler.contentEncoding", "UTF-8"],
      ["string", "HTTPSampler.path", path],
      ["string", "HTTPSampler.method", method],
      ["bool", "HTTPSampler.follow_redirects", false],
      ["bool", "HTTPSampler.auto_redirects", false],
      ["bool", "HTTPSampler.use_keepalive", true],
      ["bool", "HTTPSampler.DO_MULTIPART_POST", false],
      ["string", "HTTPSampler.connect_timeout", "20000"],
      ["string", "HTTPSampler.response_timeout", "20000"],
    ]);
  return element("HTTPSamplerProxy", "HttpTestSampleGui", label, body, children);
}

export const headers = (list: readonly (readonly [string, string])[]) =>
  element(
    "HeaderManager",
    "HeaderPanel",
    "headers",
    `<collectionProp name="HeaderManager.headers">${list
      .map(
        ([name, value]) =>
          `<elementProp name="" elementType="Header">${props([
            ["string", "Header.name", name],
            ["string", "Header.value", value],
          ])}</elementProp>`,
      )
      .join("")}</collectionProp>`,
  );

export const regex = (variable: string, pattern: string, fallback: string) =>
  element(
    "RegexExtractor",
    "RegexExtractorGui",
    variable,
    props([
      ["string", "RegexExtractor.useHeaders", "false"],
      ["string", "RegexExtractor.refname", variable],
      ["string", "RegexExtractor.regex", pattern],
      ["string", "RegexExtractor.template", "$1$"],
      ["string", "RegexExtractor.default", fallback],
      ["string", "RegexExtractor.match_number", "1"],
    ]),
  );

export function threadGroup(
  tag: "ThreadGroup" | "SetupThreadGroup",
  name: string,
  threads: number,
  loops: number,
  children: readonly string[],
): string {
  const body =
    props([["string", "ThreadGroup.on_sample_error", "continue"]]) +
    `<elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController" testname="Loop Controller" enabled="true">${props(
      [
        ["bool", "LoopController.continue_forever", false],
        ["string", "LoopController.loops", String(loops)],
      ],
    )}</elementProp>` +
    props([
      ["string", "ThreadGroup.num_threads", String(threads)],
      ["string", "ThreadGroup.ramp_time", "0"],
      ["bool", "ThreadGroup.scheduler", false],
      ["string", "ThreadGroup.duration", ""],
      ["string", "ThreadGroup.delay", ""],
    ]);
  return element(tag, tag === "ThreadGroup" ? "ThreadGroupGui" : "SetupThreadGroupGui", name, body, children);
}
