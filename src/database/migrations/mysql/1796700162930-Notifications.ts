import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationsMysql1796700162930 implements MigrationInterface {
  name = 'NotificationsMysql1796700162930';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`outbox_events\` (\`id\` int NOT NULL AUTO_INCREMENT, \`event_id\` varchar(40) NOT NULL, \`type\` varchar(32) NOT NULL, \`cinema_id\` int NOT NULL, \`user_id\` int NOT NULL, \`order_id\` int NOT NULL, \`body\` text NOT NULL, \`created_at\` datetime(3) NOT NULL, \`routed_at\` datetime(3) NULL, UNIQUE INDEX \`uq_outbox_events_event_id\` (\`event_id\`), INDEX \`ix_outbox_events_unrouted\` (\`routed_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`webhook_endpoints\` (\`id\` int NOT NULL AUTO_INCREMENT, \`cinema_id\` int NOT NULL, \`url\` varchar(2048) NOT NULL, \`events\` text NOT NULL, \`description\` varchar(200) NULL, \`secret\` varchar(80) NOT NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_webhook_endpoints_cinema\` (\`cinema_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`notification_deliveries\` (\`id\` int NOT NULL AUTO_INCREMENT, \`event_row_id\` int NOT NULL, \`channel\` varchar(8) NOT NULL, \`endpoint_id\` int NULL, \`recipient\` varchar(255) NULL, \`status\` varchar(12) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`last_status_code\` int NULL, \`last_error\` varchar(255) NULL, \`next_attempt_at\` datetime(3) NULL, \`claim_token\` varchar(32) NULL, \`delivered_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_notification_deliveries_route\` (\`event_row_id\`, \`channel\`, \`endpoint_id\`), INDEX \`ix_notification_deliveries_endpoint\` (\`endpoint_id\`, \`id\`), INDEX \`ix_notification_deliveries_due\` (\`status\`, \`next_attempt_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`webhook_endpoints\` ADD CONSTRAINT \`FK_5d46e342e222a311a757ba1dc05\` FOREIGN KEY (\`cinema_id\`) REFERENCES \`cinemas\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`notification_deliveries\` ADD CONSTRAINT \`FK_1c05864109a0e4eea67b968be85\` FOREIGN KEY (\`endpoint_id\`) REFERENCES \`webhook_endpoints\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`notification_deliveries\` DROP FOREIGN KEY \`FK_1c05864109a0e4eea67b968be85\``);
    await queryRunner.query(`ALTER TABLE \`webhook_endpoints\` DROP FOREIGN KEY \`FK_5d46e342e222a311a757ba1dc05\``);
    await queryRunner.query(`DROP INDEX \`ix_notification_deliveries_due\` ON \`notification_deliveries\``);
    await queryRunner.query(`DROP INDEX \`ix_notification_deliveries_endpoint\` ON \`notification_deliveries\``);
    await queryRunner.query(`DROP INDEX \`uq_notification_deliveries_route\` ON \`notification_deliveries\``);
    await queryRunner.query(`DROP TABLE \`notification_deliveries\``);
    await queryRunner.query(`DROP INDEX \`ix_webhook_endpoints_cinema\` ON \`webhook_endpoints\``);
    await queryRunner.query(`DROP TABLE \`webhook_endpoints\``);
    await queryRunner.query(`DROP INDEX \`ix_outbox_events_unrouted\` ON \`outbox_events\``);
    await queryRunner.query(`DROP INDEX \`uq_outbox_events_event_id\` ON \`outbox_events\``);
    await queryRunner.query(`DROP TABLE \`outbox_events\``);
  }
}
