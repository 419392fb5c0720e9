import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { describeLiveUpdateStoreConformance } from '../store/liveUpdateStoreConformance';

describeLiveUpdateStoreConformance('SQLite', async () => SqliteBotStore.open(':memory:'));
