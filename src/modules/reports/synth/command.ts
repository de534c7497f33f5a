import { todayInVietnam } from '../../../db/time.js';
import { isCalendarDay } from '../../org/history.js';
import { MAX_SYNTH_PEOPLE } from './model.js';
import type { SynthOptions } from './synth.js';

const MAX_MONTHS = 36;
const MAX_SEED = 4_294_967_295;

const wholeNumber = (text: string | undefined) =>
  text !== undefined && /^\d+$/.test(text.trim()) ? Number(text) : NaN;

/**
 * The options of `hocvuso synth`, checked before anything is opened or created: the options, or
 * what is wrong with them in Vietnamese.
 */
export function parseSynthOptions(values: {
  tenant?: string | boolean;
  people?: string | boolean;
  seed?: string | boolean;
  until?: string | boolean;
  months?: string | boolean;
}): { options: SynthOptions } | { error: string } {
  const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
  const tenant = str(values.tenant)?.trim();
  if (!tenant) return { error: 'Thiếu --tenant SLUG (đơn vị chủ quản nhận dữ liệu tổng hợp).' };
  const people = wholeNumber(str(values.people));
  if (!Number.isSafeInteger(people) || people < 1 || people > MAX_SYNTH_PEOPLE) {
    return {
      error: `--people phải là số nguyên từ 1 đến ${MAX_SYNTH_PEOPLE.toLocaleString('vi-VN')} (đang là "${str(values.people) ?? ''}").`,
    };
  }
  const seedText = str(values.seed);
  const seed = seedText === undefined ? 1 : wholeNumber(seedText);
  if (!Number.isSafeInteger(seed) || seed > MAX_SEED) {
    return { error: `--seed phải là số nguyên từ 0 đến ${MAX_SEED} (đang là "${seedText}").` };
  }
  const until = str(values.until) ?? todayInVietnam();
  if (!isCalendarDay(until))
    return { error: `--until phải là một ngày dạng NNNN-TT-NN (đang là "${until}").` };
  const monthsText = str(values.months);
  const months = monthsText === undefined ? 6 : wholeNumber(monthsText);
  if (!Number.isSafeInteger(months) || months < 1 || months > MAX_MONTHS) {
    return { error: `--months phải là số tháng từ 1 đến ${MAX_MONTHS} (đang là "${monthsText}").` };
  }
  return { options: { tenant, people, seed, until, months } };
}
