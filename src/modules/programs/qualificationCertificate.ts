import { type CertificateAward, renderCertificatePdf } from '../learning/certificatePdf.js';
import { lastValidDay } from './qualificationStatus.js';
import type { QualificationRow } from './repository.js';

/** The wording of the qualification certificate; its design is the course certificate's. */
export const QUALIFICATION_AWARD: CertificateAward = {
  title: 'ĐẠT YÊU CẦU BÌNH DÂN HỌC VỤ SỐ',
  lead: 'đã hoàn thành chương trình',
  documentTitle: 'Giấy chứng nhận đạt yêu cầu Bình dân học vụ số',
};

/** The address of a qualification's certificate PDF, for its holder and the tenant's admins. */
export const qualificationPdfPath = (code: string) =>
  `/chung-nhan-dat-yeu-cau/${encodeURIComponent(code)}.pdf`;

/**
 * The certificate of a qualification: same paper and QR code as a course certificate, naming
 * the program and, when it lapses, the last day it counts.
 */
export function renderQualificationPdf(
  qualification: QualificationRow,
  tenantName: string,
  verifyUrl: string,
): Promise<Buffer> {
  return renderCertificatePdf({
    code: qualification.code,
    learnerName: qualification.holderName,
    courseTitle: qualification.programName,
    issuedOn: qualification.issuedOn,
    tenantName,
    verifyUrl,
    award: QUALIFICATION_AWARD,
    validUntil: lastValidDay(qualification),
  });
}
