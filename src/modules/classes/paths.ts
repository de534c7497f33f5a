/** Learners' pages: the sessions near them, one session, registering, checking in. */
export const CLASSES_PATH = '/lop-hoc';
export const classPath = (id: string) => `${CLASSES_PATH}/${id}`;
export const registerPath = (id: string) => `${classPath(id)}/dang-ky`;
export const unregisterPath = (id: string) => `${classPath(id)}/huy-dang-ky`;
export const checkinPath = (id: string) => `${classPath(id)}/diem-danh`;
/** The address the QR code holds: opening it on a phone leads to the check-in confirmation. */
export const checkinLink = (id: string, code: string) => `${checkinPath(id)}?ma=${encodeURIComponent(code)}`;

/** Instructors' and managers' pages. */
export const MANAGE_PATH = '/quan-tri/lop-hoc';
export const NEW_SESSION_PATH = `${MANAGE_PATH}/moi`;
export const managePath = (id: string) => `${MANAGE_PATH}/${id}`;
export const editPath = (id: string) => `${managePath(id)}/sua`;
export const cancelPath = (id: string) => `${managePath(id)}/huy`;
export const rosterPath = (id: string) => `${managePath(id)}/diem-danh`;
export const addAtDoorPath = (id: string) => `${managePath(id)}/them-nguoi`;
export const walkInPath = (id: string) => `${managePath(id)}/khach`;
export const linkPath = (id: string, attendeeId: string) => `${walkInPath(id)}/${attendeeId}/lien-ket`;
export const qrPath = (id: string) => `${managePath(id)}/ma-diem-danh`;
export const resultsPath = (id: string) => `${managePath(id)}/ket-qua`;
export const kitPath = (id: string) => `${managePath(id)}/bo-tai-lieu.pdf`;
