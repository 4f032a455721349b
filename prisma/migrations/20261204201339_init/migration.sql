-- CreateEnum
CREATE TYPE "SignScheme" AS ENUM ('MD5', 'HMAC_SHA256', 'HMAC_SM3');

-- CreateEnum
CREATE TYPE "ChangeOutcome" AS ENUM ('APPLIED', 'SUPERSEDED', 'IGNORED');

-- CreateEnum
CREATE TYPE "PushStatus" AS ENUM ('RECEIVED', 'APPLIED', 'RETRYING', 'DEAD');

-- CreateTable
CREATE TABLE "api_clients" (
    "id" UUID NOT NULL,
    "app_key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sign_scheme" "SignScheme" NOT NULL DEFAULT 'MD5',
    "sign_key_sealed" TEXT NOT NULL,
    "previous_sign_key_sealed" TEXT,
    "previous_key_expires_at" TIMESTAMPTZ(3),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "key_rotated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "api_clients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "students" (
    "id" UUID NOT NULL,
    "student_no" TEXT NOT NULL,
    "student_no_version" TEXT NOT NULL,
    "examinee_no" TEXT,
    "examinee_no_irregular" BOOLEAN NOT NULL DEFAULT false,
    "examinee_no_version" TEXT,
    "name" TEXT,
    "name_version" TEXT,
    "id_number_sealed" TEXT,
    "id_number_hash" TEXT,
    "id_number_masked" TEXT,
    "id_number_version" TEXT,
    "class_code" TEXT,
    "class_name" TEXT,
    "class_version" TEXT,
    "bank_card_sealed" TEXT,
    "bank_card_hash" TEXT,
    "bank_card_masked" TEXT,
    "bank_card_version" TEXT,
    "status_code" TEXT,
    "status_name" TEXT,
    "status_version" TEXT,
    "last_changed_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "students_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "student_aliases" (
    "student_no" TEXT NOT NULL,
    "student_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "student_aliases_pkey" PRIMARY KEY ("student_no")
);

-- CreateTable
CREATE TABLE "student_changes" (
    "id" BIGSERIAL NOT NULL,
    "student_id" UUID NOT NULL,
    "push_id" BIGINT NOT NULL,
    "detail_index" INTEGER NOT NULL,
    "change_type" TEXT NOT NULL,
    "before_code" TEXT,
    "before_name" TEXT,
    "after_code" TEXT,
    "after_name" TEXT,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    "outcome" "ChangeOutcome" NOT NULL,
    "batch_no" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "student_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "push_archive" (
    "id" BIGSERIAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "app_key" TEXT NOT NULL,
    "batch_no" TEXT,
    "student_no" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    "body_sealed" TEXT NOT NULL,
    "request_id" TEXT,
    "status" "PushStatus" NOT NULL DEFAULT 'RECEIVED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error_code" TEXT,
    "last_error_message" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "applied_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "push_archive_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_clients_app_key_key" ON "api_clients"("app_key");

-- CreateIndex
CREATE UNIQUE INDEX "students_student_no_key" ON "students"("student_no");

-- CreateIndex
CREATE INDEX "students_id_number_hash_idx" ON "students"("id_number_hash");

-- CreateIndex
CREATE INDEX "students_bank_card_hash_idx" ON "students"("bank_card_hash");

-- CreateIndex
CREATE INDEX "student_aliases_student_id_idx" ON "student_aliases"("student_id");

-- CreateIndex
CREATE INDEX "student_changes_student_id_changed_at_idx" ON "student_changes"("student_id", "changed_at");

-- CreateIndex
CREATE UNIQUE INDEX "student_changes_push_id_detail_index_key" ON "student_changes"("push_id", "detail_index");

-- CreateIndex
CREATE UNIQUE INDEX "push_archive_idempotency_key_key" ON "push_archive"("idempotency_key");

-- CreateIndex
CREATE INDEX "push_archive_batch_no_idx" ON "push_archive"("batch_no");

-- CreateIndex
CREATE INDEX "push_archive_student_no_idx" ON "push_archive"("student_no");

-- CreateIndex
CREATE INDEX "push_archive_status_updated_at_idx" ON "push_archive"("status", "updated_at");

-- AddForeignKey
ALTER TABLE "student_aliases" ADD CONSTRAINT "student_aliases_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "students"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "student_changes" ADD CONSTRAINT "student_changes_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "students"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "student_changes" ADD CONSTRAINT "student_changes_push_id_fkey" FOREIGN KEY ("push_id") REFERENCES "push_archive"("id") ON DELETE CASCADE ON UPDATE CASCADE;
