export { findStudentView, STUDENT_HISTORY_LIMIT } from './find-student.ts';
export type { ChangeView, PushView, StudentView } from './student-view.ts';
