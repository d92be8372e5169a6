import { MigrationInterface, QueryRunner } from 'typeorm';

export class DropUnusedClaimExpiryIndexMysql1795482884641 implements MigrationInterface {
  name = 'DropUnusedClaimExpiryIndexMysql1795482884641';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_seat_claims_expires_at\` ON \`seat_claims\``);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX \`ix_seat_claims_expires_at\` ON \`seat_claims\` (\`expires_at\`)`);
  }
}
