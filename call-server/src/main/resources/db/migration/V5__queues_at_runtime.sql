-- Queues at runtime (PUT/DELETE /api/queues/{id}): the table becomes the queues' home. A row keeps
-- the whole queue as on the wire: agents (a JSON array) and thresholds (a JSON object, seconds).
-- Rows written by a version before this one have no agents: the next start replaces them with the
-- configured queues (the configuration seeds a database that has no queue of its own yet).
ALTER TABLE queues ADD COLUMN agents TEXT;
ALTER TABLE queues ADD COLUMN thresholds TEXT;
-- The queues' order as listed (configuration order when seeded, then creation order).
ALTER TABLE queues ADD COLUMN position INTEGER;
