import { MigrationInterface, QueryRunner } from 'typeorm';

export class DropUnusedClaimExpiryIndexSqlite1795482884641 implements MigrationInterface {
  name = 'DropUnusedClaimExpiryIndexSqlite1795482884641';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_seat_claims_expires_at"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_seat_claims_expires_at" ON "seat_claims" ("expires_at") `);
  }
}
