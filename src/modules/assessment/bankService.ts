import { createHash, randomUUID } from 'node:crypto';
import { type Db, inTransaction } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { AppError, notFound, validationFailed } from '../../errors.js';
import { decodeList, encodeList } from '../../text/lists.js';
import { cleanText, foldForSearch } from '../../text/vietnamese.js';
import { type Difficulty, type QuestionBody, type QuestionDraft, questionProblems } from './questionDraft.js';
import { type DrawRule, drawRuleMatches } from './quizSettings.js';
import type { BankQuestionTable } from './tables.js';

export interface Bank {
  id: string;
  tenantId: string;
  name: string;
  questionCount: number;
}

export interface BankQuestion {
  id: string;
  bankId: string;
  key: string;
  version: number;
  draft: QuestionDraft;
  imageFile: string | null;
  updatedAt: string;
}

export interface ImportCounts {
  bankId: string;
  created: number;
  updated: number;
  unchanged: number;
}

export const BANK_PAGE_SIZE = 50;
const MAX_BANK_NAME = 120;

/** The stored content of a question, hashed: the same question imported again is recognised. */
export function questionDigest(draft: QuestionDraft, imageFile: string | null): string {
  const { key: _key, ...content } = draft;
  return createHash('sha256')
    .update(
      JSON.stringify({ ...content, image: imageFile ? { file: imageFile, alt: draft.image?.alt } : null }),
    )
    .digest('hex');
}

/** A question without its own key is keyed by its content, so re-importing it is idempotent. */
export const keyOf = (draft: QuestionDraft, imageFile: string | null): string =>
  draft.key ?? `h-${questionDigest(draft, imageFile).slice(0, 20)}`;

function toBankQuestion(row: BankQuestionTable): BankQuestion {
  return {
    id: row.id,
    bankId: row.bankId,
    key: row.key,
    version: row.version,
    imageFile: row.imageFile,
    updatedAt: row.updatedAt,
    draft: {
      key: row.key,
      prompt: row.prompt,
      situation: row.situation,
      explanation: row.explanation,
      difficulty: row.difficulty as Difficulty | null,
      tags: decodeList(row.tags),
      frameworks: decodeList(row.frameworks),
      body: JSON.parse(row.body) as QuestionBody,
      ...(row.imageFile ? { image: { src: row.imageFile, alt: row.imageAlt ?? '' } } : {}),
    },
  };
}

/** Question banks of a tenant: versioned questions that quizzes are built from. */
export class QuestionBankService {
  constructor(private readonly db: Db) {}

  async banks(tenantId: string): Promise<Bank[]> {
    const rows = await this.db.kysely
      .selectFrom('questionBanks')
      .leftJoin('bankQuestions', 'bankQuestions.bankId', 'questionBanks.id')
      .select(['questionBanks.id', 'questionBanks.tenantId', 'questionBanks.name'])
      .select((eb) => eb.fn.count<number>('bankQuestions.id').as('questionCount'))
      .where('questionBanks.tenantId', '=', tenantId)
      .groupBy(['questionBanks.id', 'questionBanks.tenantId', 'questionBanks.name'])
      .execute();
    return rows
      .map((r) => ({ ...r, questionCount: Number(r.questionCount) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  }

  async bank(tenantId: string, bankId: string): Promise<Bank | null> {
    return (await this.banks(tenantId)).find((b) => b.id === bankId) ?? null;
  }

  /** Each question's key with the digest of its content: what an import is compared against. */
  async digests(tenantId: string, bankId: string): Promise<Map<string, string>> {
    const rows = await this.db.kysely
      .selectFrom('bankQuestions')
      .select(['key', 'digest'])
      .where('tenantId', '=', tenantId)
      .where('bankId', '=', bankId)
      .execute();
    return new Map(rows.map((row) => [row.key, row.digest]));
  }

  /** The bank with this name, created when it does not exist yet. */
  async ensureBank(tenantId: string, name: string): Promise<Bank> {
    const clean = cleanText(name);
    if (clean === '' || clean.length > MAX_BANK_NAME) {
      throw validationFailed({ name: `Tên ngân hàng câu hỏi cần từ 1 đến ${MAX_BANK_NAME} ký tự.` });
    }
    await this.db.kysely
      .insertInto('questionBanks')
      .values({ id: randomUUID(), tenantId, name: clean, createdAt: nowIso() })
      .onConflict((oc) => oc.columns(['tenantId', 'name']).doNothing())
      .execute();
    const row = await this.db.kysely
      .selectFrom('questionBanks')
      .select(['id', 'tenantId', 'name'])
      .where('tenantId', '=', tenantId)
      .where('name', '=', clean)
      .executeTakeFirstOrThrow();
    const count = await this.db.kysely
      .selectFrom('bankQuestions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('bankId', '=', row.id)
      .executeTakeFirstOrThrow();
    return { ...row, questionCount: Number(count.n) };
  }

  /**
   * Stores questions into a bank, all or nothing: every question is checked first and any
   * problem refuses the whole set. A question whose key exists gets a new version only if its
   * content changed; the same file imported twice changes nothing the second time.
   */
  async importQuestions(
    tenantId: string,
    bankName: string,
    drafts: { draft: QuestionDraft; imageFile: string | null }[],
  ): Promise<ImportCounts> {
    const problems: Record<string, string> = {};
    const keys = new Set<string>();
    const prepared = drafts.map(({ draft, imageFile }, index) => {
      const key = keyOf(draft, imageFile);
      const messages = questionProblems(draft);
      if (keys.has(key)) messages.push(`Mã câu hỏi "${key}" bị trùng.`);
      keys.add(key);
      if (messages.length > 0) problems[`questions[${index}]`] = messages.join(' ');
      return { draft, imageFile, key, digest: questionDigest(draft, imageFile) };
    });
    if (drafts.length === 0) problems.questions = 'Không có câu hỏi nào để nhập.';
    if (Object.keys(problems).length > 0)
      throw validationFailed(problems, 'Có câu hỏi không hợp lệ; chưa nhập câu nào.');

    return inTransaction(this.db, async (tx) => {
      const bank = await new QuestionBankService(tx).ensureBank(tenantId, bankName);
      const existing = new Map(
        (
          await tx.kysely
            .selectFrom('bankQuestions')
            .select(['id', 'key', 'digest', 'version'])
            .where('bankId', '=', bank.id)
            .execute()
        ).map((r) => [r.key, r]),
      );
      const counts: ImportCounts = { bankId: bank.id, created: 0, updated: 0, unchanged: 0 };
      const now = nowIso();
      const fresh: BankQuestionTable[] = [];
      for (const item of prepared) {
        const known = existing.get(item.key);
        if (known?.digest === item.digest) {
          counts.unchanged += 1;
          continue;
        }
        const row = rowOf(tenantId, bank.id, item, known?.id ?? randomUUID(), (known?.version ?? 0) + 1, now);
        if (known) {
          counts.updated += 1;
          const { id: _id, createdAt: _created, ...changes } = row;
          await tx.kysely.updateTable('bankQuestions').set(changes).where('id', '=', known.id).execute();
          await insertVersion(tx, row);
        } else {
          counts.created += 1;
          fresh.push(row);
        }
      }
      // Chunks keep each statement under PostgreSQL's 65,535 bound parameters.
      for (let start = 0; start < fresh.length; start += 1000) {
        const chunk = fresh.slice(start, start + 1000);
        await tx.kysely.insertInto('bankQuestions').values(chunk).execute();
        await tx.kysely
          .insertInto('bankQuestionVersions')
          .values(chunk.map((row) => versionOf(row)))
          .execute();
      }
      return counts;
    });
  }

  /** Saves one question from the authoring form: a new question, or a new version of one. */
  async saveQuestion(
    tenantId: string,
    bankId: string,
    questionId: string | null,
    draft: QuestionDraft,
    imageFile: string | null,
  ): Promise<BankQuestion> {
    const messages = questionProblems(draft);
    if (draft.explanation.trim() === '') messages.push('Mỗi câu hỏi cần có lời giải thích.');
    if (messages.length > 0) throw validationFailed({ question: messages.join(' ') });
    const bank = await this.bank(tenantId, bankId);
    if (!bank) throw notFound('Không tìm thấy ngân hàng câu hỏi này.');
    return inTransaction(this.db, async (tx) => {
      const now = nowIso();
      const known = questionId ? await this.questionRow(tx, tenantId, questionId) : undefined;
      if (questionId && (!known || known.bankId !== bankId)) throw notFound('Không tìm thấy câu hỏi này.');
      const key = known?.key ?? keyOf(draft, imageFile);
      const item = { draft, imageFile, key, digest: questionDigest(draft, imageFile) };
      if (known?.digest === item.digest) return toBankQuestion(known);
      const row = rowOf(tenantId, bankId, item, known?.id ?? randomUUID(), (known?.version ?? 0) + 1, now);
      if (known) {
        const { id: _id, createdAt: _created, ...changes } = row;
        await tx.kysely.updateTable('bankQuestions').set(changes).where('id', '=', known.id).execute();
      } else {
        const clash = await tx.kysely
          .selectFrom('bankQuestions')
          .select('id')
          .where('bankId', '=', bankId)
          .where('key', '=', key)
          .executeTakeFirst();
        if (clash)
          throw new AppError(409, 'duplicate_question', 'Ngân hàng đã có một câu hỏi giống hệt câu này.');
        await tx.kysely.insertInto('bankQuestions').values(row).execute();
      }
      await insertVersion(tx, row);
      return toBankQuestion(row);
    });
  }

  async question(tenantId: string, questionId: string): Promise<BankQuestion | null> {
    const row = await this.questionRow(this.db, tenantId, questionId);
    return row ? toBankQuestion(row) : null;
  }

  /** Earlier versions of a question, newest first. */
  async history(questionId: string): Promise<{ number: number; draft: QuestionDraft; createdAt: string }[]> {
    const rows = await this.db.kysely
      .selectFrom('bankQuestionVersions')
      .selectAll()
      .where('questionId', '=', questionId)
      .orderBy('number', 'desc')
      .execute();
    return rows.map((r) => ({
      number: r.number,
      draft: JSON.parse(r.snapshot) as QuestionDraft,
      createdAt: r.createdAt,
    }));
  }

  /** One page of a bank's questions, filtered, in key order. */
  async questions(
    tenantId: string,
    bankId: string,
    filters: { query?: string; tag?: string; difficulty?: string; page?: number } = {},
  ): Promise<{ questions: BankQuestion[]; total: number; page: number; pages: number }> {
    let query = this.db.kysely
      .selectFrom('bankQuestions')
      .where('tenantId', '=', tenantId)
      .where('bankId', '=', bankId);
    if (filters.tag) query = query.where('tags', 'like', `%,${filters.tag},%`);
    if (filters.difficulty) query = query.where('difficulty', '=', filters.difficulty);
    const tokens = foldForSearch(filters.query ?? '');
    const pageOf = (total: number) => {
      const pages = Math.max(1, Math.ceil(total / BANK_PAGE_SIZE));
      return { pages, page: Math.min(Math.max(1, filters.page ?? 1), pages) };
    };
    if (!tokens) {
      // Without words to search for, the database pages: a bank can hold tens of thousands.
      const counted = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const total = Number(counted.n);
      const { page, pages } = pageOf(total);
      const rows = await query
        .selectAll()
        .orderBy('key')
        .limit(BANK_PAGE_SIZE)
        .offset((page - 1) * BANK_PAGE_SIZE)
        .execute();
      return { questions: rows.map(toBankQuestion), total, page, pages };
    }
    const matching = (await query.selectAll().orderBy('key').execute())
      .map(toBankQuestion)
      .filter((q) => foldForSearch(`${q.draft.prompt} ${q.draft.situation ?? ''} ${q.key}`).includes(tokens));
    const { page, pages } = pageOf(matching.length);
    return {
      questions: matching.slice((page - 1) * BANK_PAGE_SIZE, page * BANK_PAGE_SIZE),
      total: matching.length,
      page,
      pages,
    };
  }

  /** Questions of a bank: the listed ones in that order, or (ids null) those any draw rule can pick. */
  async pool(
    tenantId: string,
    bankId: string,
    questionIds: string[] | null,
    draws: DrawRule[] | null,
  ): Promise<BankQuestion[]> {
    const rows = (
      await this.db.kysely
        .selectFrom('bankQuestions')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('bankId', '=', bankId)
        .orderBy('key')
        .execute()
    ).map(toBankQuestion);
    if (questionIds) {
      const byId = new Map(rows.map((r) => [r.id, r]));
      return questionIds.flatMap((id) => byId.get(id) ?? []);
    }
    if (!draws) return rows;
    return rows.filter((q) => draws.some((rule) => drawRuleMatches(rule, q.draft)));
  }

  private questionRow(db: Db, tenantId: string, questionId: string) {
    return db.kysely
      .selectFrom('bankQuestions')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', questionId)
      .executeTakeFirst();
  }
}

function rowOf(
  tenantId: string,
  bankId: string,
  item: { draft: QuestionDraft; imageFile: string | null; key: string; digest: string },
  id: string,
  version: number,
  now: string,
): BankQuestionTable {
  const { draft } = item;
  return {
    id,
    tenantId,
    bankId,
    key: item.key,
    version,
    kind: draft.body.kind,
    situation: draft.situation,
    prompt: draft.prompt,
    explanation: draft.explanation,
    imageFile: item.imageFile,
    imageAlt: draft.image?.alt ?? null,
    body: JSON.stringify(draft.body),
    difficulty: draft.difficulty,
    tags: encodeList(draft.tags),
    frameworks: encodeList(draft.frameworks),
    digest: item.digest,
    createdAt: now,
    updatedAt: now,
  };
}

const versionOf = (row: BankQuestionTable) => ({
  questionId: row.id,
  number: row.version,
  snapshot: JSON.stringify(toBankQuestion(row).draft),
  createdAt: row.updatedAt,
});

async function insertVersion(db: Db, row: BankQuestionTable): Promise<void> {
  await db.kysely.insertInto('bankQuestionVersions').values(versionOf(row)).execute();
}
