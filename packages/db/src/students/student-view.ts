/** A student as the admin console shows it: personal data only in masked form. */
export interface StudentView {
  id: string;
  studentNo: string;
  /** Match kind of the looked-up number: the current number, or an alias from before a re-key. */
  matchedBy: 'current' | 'alias';
  examineeNo: string | null;
  examineeNoIrregular: boolean;
  name: string | null;
  idNumberMasked: string | null;
  classCode: string | null;
  className: string | null;
  bankCardMasked: string | null;
  statusCode: string | null;
  statusName: string | null;
  lastChangedAt: Date;
  createdAt: Date;
  updatedAt: Date;
  aliases: Array<{ studentNo: string; createdAt: Date }>;
  /** Change details, oldest change time first. Bank card values in them are masked. */
  changes: ChangeView[];
  /** Pushes received under the current number or an alias, newest first, including failed ones. */
  pushes: PushView[];
  /** True when `changes` or `pushes` stopped at the look-up limit. */
  truncated: boolean;
}

export interface ChangeView {
  id: string;
  pushId: string;
  changeType: string;
  beforeCode: string | null;
  beforeName: string | null;
  afterCode: string | null;
  afterName: string | null;
  changedAt: Date;
  outcome: string;
  batchNo: string | null;
}

export interface PushView {
  id: string;
  appKey: string;
  batchNo: string | null;
  studentNo: string;
  operation: string;
  changedAt: Date;
  receivedAt: Date;
  requestId: string | null;
  status: string;
  attempts: number;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  appliedAt: Date | null;
}
