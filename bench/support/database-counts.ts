import pg from 'pg';

export interface PipelineCounts {
  students: number;
  changes: number;
  /** Archived pushes by status (RECEIVED, APPLIED, RETRYING, DEAD). */
  archive: Record<string, number>;
}

/** Counts what the workers wrote, with plain SQL. */
export async function countPipelineRows(databaseUrl: string): Promise<PipelineCounts> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const students = await client.query<{ count: string }>('SELECT count(*) FROM students');
    const changes = await client.query<{ count: string }>('SELECT count(*) FROM student_changes');
    const archive = await client.query<{ status: string; count: string }>('SELECT status::text, count(*) FROM push_archive GROUP BY status');
    return {
      students: Number(students.rows[0]!.count),
      changes: Number(changes.rows[0]!.count),
      archive: Object.fromEntries(archive.rows.map((row) => [row.status, Number(row.count)])),
    };
  } finally {
    await client.end();
  }
}
