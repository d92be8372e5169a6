import { EntitySubscriberInterface, EventSubscriber, InsertEvent } from 'typeorm';

@EventSubscriber()
export class CreatedAtSubscriber implements EntitySubscriberInterface {
  beforeInsert(event: InsertEvent<{ createdAt?: Date }>): void {
    const hasColumn = event.metadata.columns.some((c) => c.propertyName === 'createdAt');
    if (hasColumn && event.entity && !event.entity.createdAt) event.entity.createdAt = new Date();
  }
}
