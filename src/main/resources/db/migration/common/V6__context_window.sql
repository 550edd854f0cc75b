-- V6: long tasks stay within the model's context. A task may name its model's context size; a paid model call records
-- what its request left out to fit (the transcript itself always stays whole).

ALTER TABLE AGENT_TASK ADD COLUMN IF NOT EXISTS CONTEXT_TOKENS BIGINT;
ALTER TABLE AGENT_MODEL_CALL ADD COLUMN IF NOT EXISTS CONTEXT_TRIMMED VARCHAR(400);
