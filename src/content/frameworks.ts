import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node, YAMLMap } from 'yaml';
import { cleanText } from '../text/vietnamese.js';
import { type FileProblem, YamlSource } from './yamlSource.js';

/**
 * The national digital-skills frameworks shipped as data in content/frameworks/ (its README
 * describes the files and their sources). Courses, lessons and questions are tagged with the codes
 * of framework elements; the coverage page lists them.
 */

/** A taggable item of a framework: a skill (QĐ 757) or a competence (TT 02). */
export interface FrameworkElementEntry {
  code: string;
  name: string;
}

export interface FrameworkGroup {
  code: string;
  name: string;
  /**
   * True when the group and its elements were not read in any text of the source document and
   * are a stated assumption (the framework's sourceNote says which and why); shown as such.
   */
  provisional: boolean;
  elements: FrameworkElementEntry[];
}

export interface Framework {
  /** Prefix of every group and element code, e.g. "TT02". */
  code: string;
  title: string;
  /** The official document, in words. */
  source: string;
  /** Where the document was read. */
  sourceUrl: string;
  /** How the data was transcribed and what is not verified. */
  sourceNote: string;
  groups: FrameworkGroup[];
}

export interface FrameworkElementMatch {
  framework: Framework;
  group: FrameworkGroup;
  element: FrameworkElementEntry;
}

/** One row per element, for pickers and the coverage page. */
export interface FrameworkElementRow {
  code: string;
  name: string;
  groupCode: string;
  groupName: string;
  frameworkCode: string;
  provisional: boolean;
}

/** Resolved from this file so it works from src/ (tsx) and from the compiled dist/ alike. */
export const FRAMEWORKS_FOLDER = fileURLToPath(new URL('../../content/frameworks', import.meta.url));
export const FRAMEWORK_FILES = ['qd-757-bkhcn.yaml', 'tt-02-2025-bgddt.yaml'] as const;

const FRAMEWORK_CODE = /^[A-Z][A-Z0-9]*$/;
const NUMBER = '(0|[1-9][0-9]*)';
const FRAMEWORK_KEYS = ['code', 'title', 'source', 'sourceUrl', 'sourceNote', 'groups'] as const;
const GROUP_KEYS = ['code', 'name', 'provisional', 'elements'] as const;
const ELEMENT_KEYS = ['code', 'name'] as const;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Reads one framework file and reports every problem with its line, the way course packages are
 * validated: codes well-formed and prefixed by the framework's (group) code, unique in the file,
 * names non-empty and in NFC without stray white space.
 */
export function parseFramework(
  file: string,
  text: string,
): { framework: Framework | null; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  const lines = text.split('\n');
  const notNfc = lines.findIndex((line) => line !== line.normalize('NFC'));
  if (notNfc >= 0) {
    problems.push({ file, line: notNfc + 1, message: 'Chữ tiếng Việt phải ở dạng Unicode NFC (dựng sẵn).' });
  }
  const source = new YamlSource(file, text);
  const root = source.root;
  if (!root) return { framework: null, problems: [...problems, ...source.problems] };
  source.onlyKeys(root, FRAMEWORK_KEYS);

  const seen = new Set<string>();
  const claim = (node: Node | undefined, code: string) => {
    if (seen.has(code)) source.report(node, `Mã "${code}" bị trùng.`);
    seen.add(code);
  };
  const name = (map: YAMLMap, key: string) => {
    const value = source.text(map, key);
    if (value !== undefined && value !== cleanText(value)) {
      source.report(source.node(map, key), `"${key}" có khoảng trắng thừa.`);
    }
    return value;
  };

  const code = source.text(root, 'code');
  if (code !== undefined && !FRAMEWORK_CODE.test(code)) {
    source.report(
      source.node(root, 'code'),
      '"code" chỉ gồm chữ in hoa và chữ số, bắt đầu bằng chữ, ví dụ TT02.',
    );
  }
  const title = name(root, 'title');
  const documentName = source.text(root, 'source');
  const sourceUrl = source.text(root, 'sourceUrl');
  if (sourceUrl !== undefined && !URL.canParse(sourceUrl)) {
    source.report(source.node(root, 'sourceUrl'), '"sourceUrl" phải là một địa chỉ https:// hợp lệ.');
  } else if (sourceUrl !== undefined && !sourceUrl.startsWith('https://')) {
    source.report(source.node(root, 'sourceUrl'), '"sourceUrl" phải là một địa chỉ https://.');
  }
  const sourceNote = source.text(root, 'sourceNote');
  if (code) claim(source.node(root, 'code'), code);

  const groupPattern = code ? new RegExp(`^${escapeRegExp(code)}-${NUMBER}$`) : null;
  const groups: FrameworkGroup[] = [];
  for (const groupNode of source.list(root, 'groups')) {
    const map = source.asMap(groupNode, 'Mỗi nhóm');
    if (!map) continue;
    source.onlyKeys(map, GROUP_KEYS);
    const groupCode = source.text(map, 'code');
    const groupName = name(map, 'name');
    const provisional = source.boolean(map, 'provisional') ?? false;
    if (groupCode !== undefined) {
      if (groupPattern && !groupPattern.test(groupCode)) {
        source.report(source.node(map, 'code'), `Mã nhóm "${groupCode}" phải có dạng ${code}-<số>.`);
      }
      claim(source.node(map, 'code'), groupCode);
    }
    const elementPattern = groupCode ? new RegExp(`^${escapeRegExp(groupCode)}\\.${NUMBER}$`) : null;
    const elements: FrameworkElementEntry[] = [];
    for (const elementNode of source.list(map, 'elements')) {
      const elementMap = source.asMap(elementNode, 'Mỗi mục');
      if (!elementMap) continue;
      source.onlyKeys(elementMap, ELEMENT_KEYS);
      const elementCode = source.text(elementMap, 'code');
      const elementName = name(elementMap, 'name');
      if (elementCode !== undefined) {
        if (elementPattern && !elementPattern.test(elementCode)) {
          source.report(
            source.node(elementMap, 'code'),
            `Mã mục "${elementCode}" phải có dạng ${groupCode}.<số>.`,
          );
        }
        claim(source.node(elementMap, 'code'), elementCode);
      }
      if (elementCode !== undefined && elementName !== undefined) {
        elements.push({ code: elementCode, name: elementName });
      }
    }
    if (groupCode !== undefined && groupName !== undefined) {
      groups.push({ code: groupCode, name: groupName, provisional, elements });
    }
  }

  problems.push(...source.problems);
  if (
    problems.length > 0 ||
    code === undefined ||
    title === undefined ||
    documentName === undefined ||
    sourceUrl === undefined ||
    sourceNote === undefined
  ) {
    return { framework: null, problems };
  }
  return {
    framework: { code, title, source: documentName, sourceUrl, sourceNote, groups },
    problems,
  };
}

function formatProblems(problems: FileProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads and validates the framework files of a folder; codes must also be unique across them.
 * Throws with every problem, file and line, when anything is wrong.
 */
export function readFrameworks(folder: string, files: readonly string[] = FRAMEWORK_FILES): Framework[] {
  const problems: FileProblem[] = [];
  const frameworks: Framework[] = [];
  const owner = new Map<string, string>();
  for (const name of files) {
    const file = join(folder, name);
    const { framework, problems: found } = parseFramework(file, readFileSync(file, 'utf8'));
    problems.push(...found);
    if (!framework) continue;
    const codes = [
      framework.code,
      ...framework.groups.flatMap((g) => [g.code, ...g.elements.map((e) => e.code)]),
    ];
    for (const code of codes) {
      const other = owner.get(code);
      if (other) problems.push({ file, line: 1, message: `Mã "${code}" đã có trong ${other}.` });
      owner.set(code, file);
    }
    frameworks.push(framework);
  }
  if (problems.length > 0) throw new Error(`Khung kỹ năng số không hợp lệ:\n${formatProblems(problems)}`);
  return deepFreeze(frameworks);
}

let cache: {
  frameworks: Framework[];
  index: Map<string, FrameworkElementMatch>;
  rows: FrameworkElementRow[];
} | null = null;

function loaded() {
  if (cache) return cache;
  const frameworks = readFrameworks(FRAMEWORKS_FOLDER);
  const index = new Map<string, FrameworkElementMatch>();
  const rows: FrameworkElementRow[] = [];
  for (const framework of frameworks) {
    for (const group of framework.groups) {
      for (const element of group.elements) {
        index.set(element.code, { framework, group, element });
        rows.push({
          code: element.code,
          name: element.name,
          groupCode: group.code,
          groupName: group.name,
          frameworkCode: framework.code,
          provisional: group.provisional,
        });
      }
    }
  }
  cache = { frameworks, index, rows: deepFreeze(rows) };
  return cache;
}

/** Both frameworks, read and validated on the first call, then cached (frozen: do not mutate). */
export function loadFrameworks(): Framework[] {
  return loaded().frameworks;
}

/** The element with this exact code, with its group and framework; undefined for anything else. */
export function frameworkElement(code: string): FrameworkElementMatch | undefined {
  return loaded().index.get(code);
}

/** Whether a tag is the code of a framework element (group and framework codes are not taggable). */
export function isFrameworkElementCode(code: string): boolean {
  return loaded().index.has(code);
}

/** Every element of every framework, in framework, group and element order. */
export function allFrameworkElements(): FrameworkElementRow[] {
  return loaded().rows;
}
