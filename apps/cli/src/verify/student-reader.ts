import { type PrismaClient, type Student } from '@student-sync/db';
import { type KeyedHasher, type Keyring, maskBankCard, maskIdNumber } from '@student-sync/privacy';
import { type Difference, type StoredStudent } from './compare.ts';

type StudentRow = Student & { aliases: Array<{ studentNo: string }> };

/** Students read per query; keeps memory flat on large tables. */
const PAGE_SIZE = 1000;

export interface StoredState {
  students: StoredStudent[];
  /** Sealed values whose keyed hash or masked form does not match the opened value. */
  integrityProblems: Difference[];
}

/** Reads every student with its former numbers, opening sealed personal data with the keyring. */
export class StudentReader {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly keyring: Keyring,
    private readonly hasher: KeyedHasher,
  ) {}

  async readAll(): Promise<StoredState> {
    const state: StoredState = { students: [], integrityProblems: [] };
    let cursor: string | undefined;
    for (;;) {
      const page = await this.prisma.student.findMany({
        take: PAGE_SIZE,
        ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
        orderBy: { id: 'asc' },
        include: { aliases: { select: { studentNo: true } } },
      });
      for (const row of page) this.addRow(state, row);
      if (page.length < PAGE_SIZE) return state;
      cursor = page[page.length - 1]!.id;
    }
  }

  /** Counts archived pushes by processing status; a push still waiting in the queue has no row yet. */
  async pushStatusCounts(): Promise<Record<string, number>> {
    const rows = await this.prisma.pushArchive.groupBy({ by: ['status'], _count: { _all: true } });
    return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
  }

  private addRow(state: StoredState, row: StudentRow): void {
    const idNumber = this.openChecked(state, row.studentNo, 'idNumber', row.idNumberSealed, row.idNumberHash, row.idNumberMasked, maskIdNumber);
    const bankCard = this.openChecked(state, row.studentNo, 'bankCard', row.bankCardSealed, row.bankCardHash, row.bankCardMasked, maskBankCard);
    state.students.push({
      studentNo: row.studentNo,
      formerStudentNos: row.aliases.map((alias) => alias.studentNo).sort(),
      examineeNo: row.examineeNo,
      name: row.name,
      idNumber,
      classCode: row.classCode,
      className: row.className,
      bankCard,
      statusCode: row.statusCode,
      statusName: row.statusName,
    });
  }

  /** Opens a sealed value and checks that its stored hash and masked form belong to it. */
  private openChecked(
    state: StoredState,
    studentNo: string,
    field: string,
    sealed: string | null,
    hash: string | null,
    masked: string | null,
    mask: (value: string) => string,
  ): string | null {
    const value = sealed === null ? null : this.keyring.open(sealed);
    const expectedHash = value === null ? null : this.hasher.hash(value);
    const expectedMask = value === null ? null : mask(value);
    if (hash !== expectedHash) state.integrityProblems.push({ studentNo, field: `${field}Hash`, expected: '与解密值一致 (matches)', actual: '不一致 (differs)' });
    if (masked !== expectedMask) state.integrityProblems.push({ studentNo, field: `${field}Masked`, expected: expectedMask ?? '(空)', actual: masked ?? '(空)' });
    return value;
  }
}
