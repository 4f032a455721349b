import type { PrismaClient } from '@student-sync/db';
import { findStudentView } from '@student-sync/db/students';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AdminHttpError } from '../http-error.ts';
import { pathTo } from '../pages/html.ts';
import { renderPage, sendPage } from '../pages/layout.ts';
import { studentBody } from '../pages/student-page.ts';
import { NoQuery } from './no-query.ts';

const StudentParams = Type.Object({ xh: Type.String({ minLength: 1, maxLength: 64 }) });
const StudentQuery = Type.Object({ xh: Type.Optional(Type.String({ maxLength: 64 })) });

/** Registers the student look-up: `GET /admin/api/students/:xh` and its page. */
export async function studentRoutes(app: FastifyInstance, options: { prisma: PrismaClient }): Promise<void> {
  const find = async (xh: string) => {
    const student = await findStudentView(options.prisma, xh);
    if (student === null) throw new AdminHttpError(404, `未找到学号为 ${xh} 的学生（也不是任何学生的旧学号） (no student has or had this number)`);
    return student;
  };

  app.get('/admin/api/students/:xh', { schema: { params: StudentParams, querystring: NoQuery } }, async (request) => {
    const { xh } = request.params as { xh: string };
    return find(xh);
  });

  app.get('/admin/students', { schema: { querystring: StudentQuery } }, async (request, reply) => {
    const xh = (request.query as { xh?: string }).xh?.trim();
    return reply.redirect(xh ? pathTo('/admin/students', xh) : '/admin/batches');
  });

  app.get('/admin/students/:xh', { schema: { params: StudentParams } }, async (request, reply) => {
    const { xh } = request.params as { xh: string };
    const student = await find(xh);
    return sendPage(reply, renderPage({ title: `学生 ${student.studentNo}`, role: request.adminRole, body: studentBody(student, xh) }));
  });
}
