import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';

/** A problem in a content file, pointed at the file and line an author must fix. */
export interface FileProblem {
  file: string;
  line: number;
  message: string;
}

/**
 * A YAML file read for validation: every lookup reports a problem with the line it refers to
 * instead of throwing, so one pass lists everything that is wrong.
 */
export class YamlSource {
  readonly problems: FileProblem[] = [];
  readonly root: YAMLMap | null;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    const doc = parseDocument(text.normalize('NFC'), { lineCounter: this.lines, prettyErrors: false });
    for (const error of doc.errors) {
      this.problems.push({
        file,
        line: this.lineAt(error.pos[0]),
        message: `YAML không hợp lệ: ${error.code}`,
      });
    }
    this.root = doc.errors.length === 0 && isMap(doc.contents) ? doc.contents : null;
    if (doc.errors.length === 0 && !this.root) this.report(null, 'Tệp phải là một bảng khóa: giá trị.');
  }

  lineAt(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  lineOf(node: Node | null | undefined): number {
    return node?.range ? this.lineAt(node.range[0]) : 1;
  }

  report(node: Node | null | undefined, message: string): void {
    this.problems.push({ file: this.file, line: this.lineOf(node), message });
  }

  node(map: YAMLMap, key: string): Node | undefined {
    return map.get(key, true) as Node | undefined;
  }

  /** A required or optional non-empty text value. */
  text(map: YAMLMap, key: string, required = true): string | undefined {
    const node = this.node(map, key);
    if (node === undefined) {
      if (required) this.report(map, `Thiếu "${key}".`);
      return undefined;
    }
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      this.report(node, `"${key}" phải là một đoạn chữ, không để trống.`);
      return undefined;
    }
    return node.value.trim();
  }

  integer(map: YAMLMap, key: string, min: number, max: number): number | undefined {
    const node = this.node(map, key);
    if (node === undefined) return undefined;
    if (
      !isScalar(node) ||
      !Number.isInteger(node.value) ||
      (node.value as number) < min ||
      (node.value as number) > max
    ) {
      this.report(node, `"${key}" phải là số nguyên từ ${min} đến ${max}.`);
      return undefined;
    }
    return node.value as number;
  }

  boolean(map: YAMLMap, key: string): boolean | undefined {
    const node = this.node(map, key);
    if (node === undefined) return undefined;
    if (!isScalar(node) || typeof node.value !== 'boolean') {
      this.report(node, `"${key}" phải là true hoặc false.`);
      return undefined;
    }
    return node.value;
  }

  /** The items of a required list, each with its node for line numbers. */
  list(map: YAMLMap, key: string): Node[] {
    const node = this.node(map, key);
    if (node === undefined) {
      this.report(map, `Thiếu danh sách "${key}".`);
      return [];
    }
    if (!isSeq(node) || node.items.length === 0) {
      this.report(node, `"${key}" phải là một danh sách có ít nhất một mục.`);
      return [];
    }
    return node.items as Node[];
  }

  /** Keys the format does not know are reported: a typo must not be silently ignored. */
  onlyKeys(map: YAMLMap, allowed: readonly string[]): void {
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(key)) this.report(pair.key as Node, `Khóa "${key}" không được hỗ trợ.`);
    }
  }

  asMap(node: Node, what: string): YAMLMap | null {
    if (isMap(node)) return node;
    this.report(node, `${what} phải là một bảng khóa: giá trị.`);
    return null;
  }
}

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
