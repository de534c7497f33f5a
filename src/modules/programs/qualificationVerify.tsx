/** What the public verification page says about a qualification code. */
import { todayInVietnam } from '../../db/time.js';
import { vietnamDay } from '../../web/format.js';
import { lastValidDay, qualificationStatus, statusSentence } from './qualificationStatus.js';
import type { QualificationRow } from './repository.js';

function Facts({ qualification, issuer }: { qualification: QualificationRow; issuer: string }) {
  const last = lastValidDay(qualification);
  return (
    <dl>
      <dt>Người được xác nhận</dt>
      <dd>{qualification.holderName}</dd>
      <dt>Chương trình</dt>
      <dd>{qualification.programName}</dd>
      <dt>Ngày cấp</dt>
      <dd>{vietnamDay(qualification.issuedOn)}</dd>
      <dt>Hiệu lực</dt>
      <dd>{last ? `Đến hết ngày ${vietnamDay(last)}` : 'Không thời hạn'}</dd>
      <dt>Đơn vị cấp</dt>
      <dd>{issuer}</dd>
      <dt>Số hiệu</dt>
      <dd>{qualification.code}</dd>
    </dl>
  );
}

/**
 * The verdict on a qualification ("đạt yêu cầu Bình dân học vụ số") on `today`: valid, lapsed
 * (the person needs recertification) or revoked; only a valid one is shown as such.
 */
export function QualificationVerdict(props: {
  qualification: QualificationRow;
  issuer: string;
  today: string;
}) {
  const { qualification, issuer, today } = props;
  const status = qualificationStatus(qualification, today);
  if (status === 'valid') {
    return (
      <div class="notice ok" role="status">
        <p>
          <strong>Xác nhận hợp lệ: {statusSentence(qualification, today)}.</strong>
        </p>
        <Facts qualification={qualification} issuer={issuer} />
      </div>
    );
  }
  return (
    <div class="notice bad" role="status">
      {status === 'revoked' ? (
        <p>
          Xác nhận đạt yêu cầu số <strong>{qualification.code}</strong> đã bị <strong>thu hồi</strong> ngày{' '}
          {vietnamDay(todayInVietnam(new Date(qualification.revokedAt as string)))}
          {qualification.revokedReason ? ` (lý do: ${qualification.revokedReason})` : ''}. Xác nhận này không
          còn giá trị.
        </p>
      ) : (
        <p>
          Xác nhận đạt yêu cầu số <strong>{qualification.code}</strong> đã <strong>hết hiệu lực</strong>:{' '}
          {statusSentence(qualification, today).toLowerCase()}. Người này cần học lại để được xác nhận lại.
        </p>
      )}
      <Facts qualification={qualification} issuer={issuer} />
    </div>
  );
}
