import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { describeWebhookQueueConformance } from '../store/webhookQueueConformance';

describeWebhookQueueConformance('SQLite', async () => SqliteBotStore.open(':memory:'));
