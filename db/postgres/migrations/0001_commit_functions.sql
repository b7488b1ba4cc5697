-- A step of the write path as one statement: the dispute row (checked against the version the
-- step was computed from), its input, history, deadline changes, evidence, outbox effects and
-- idempotency record, all or nothing. A failing step rolls back alone (the inner block is a
-- subtransaction) and says why; committed steps notify other instances (LISTEN arbiter_commits_<schema>).
CREATE OR REPLACE FUNCTION arbiter_commit_step(s jsonb, origin text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  d text := s->>'disputeId';
  c jsonb := s->'columns';
  awaiting_list text := array_to_string(array(select jsonb_array_elements_text(s->'columns'->'awaiting')), ',');
  constraint_name text;
BEGIN
  BEGIN
    IF s ? 'create' THEN
      INSERT INTO disputes (id, order_id, item_id, buyer_id, seller_id, machine_id, machine_version, state, stage, awaiting, awaits_agent, agent_visible,
        needs_attention, overdue_at, decision_due_at, return_tracking, ended, snapshot, version, opened_at, updated_at)
      VALUES (d, s->'create'->>'orderId', s->'create'->>'itemId', s->'create'->>'buyerId', s->'create'->>'sellerId', s->>'machineId',
        (s->>'machineVersion')::int, c->>'state', c->>'stage', awaiting_list, (c->>'awaitsAgent')::boolean, (c->>'agentVisible')::boolean,
        (c->>'needsAttention')::boolean, c->>'overdueAt', c->>'decisionDueAt', c->>'returnTracking', (c->>'ended')::boolean, s->>'snapshot',
        (s->>'version')::int, s->'create'->>'openedAt', s->>'updatedAt');
      INSERT INTO dispute_inputs (dispute_id, input) VALUES (d, s->'create'->>'input');
    ELSE
      UPDATE disputes SET machine_version = (s->>'machineVersion')::int, state = c->>'state', stage = c->>'stage', awaiting = awaiting_list,
        awaits_agent = (c->>'awaitsAgent')::boolean, agent_visible = (c->>'agentVisible')::boolean, needs_attention = (c->>'needsAttention')::boolean,
        overdue_at = c->>'overdueAt', decision_due_at = c->>'decisionDueAt', return_tracking = c->>'returnTracking', ended = (c->>'ended')::boolean,
        snapshot = s->>'snapshot', version = (s->>'version')::int, updated_at = s->>'updatedAt'
      WHERE id = d AND version = (s->>'expectedVersion')::int;
      IF NOT FOUND THEN
        RETURN 'conflict';
      END IF;
    END IF;
    IF s ? 'idempotency' THEN
      INSERT INTO idempotency_keys (caller, key, request_hash, status_code, dispute_id, version, created_at)
      VALUES (s->'idempotency'->>'caller', s->'idempotency'->>'key', s->'idempotency'->>'requestHash', (s->'idempotency'->>'statusCode')::int,
        s->'idempotency'->>'disputeId', (s->'idempotency'->>'version')::int, s->>'updatedAt');
    END IF;
    INSERT INTO dispute_events (dispute_id, seq, type, actor_role, actor_id, payload, from_state, to_state, at, recorded_at, idempotency_key)
    SELECT d, h.seq, h.type, h."actorRole", h."actorId", h.payload, h."fromState", h."toState", h.at, h."recordedAt", h."idempotencyKey"
    FROM jsonb_to_recordset(s->'history') AS h(seq int, type text, "actorRole" text, "actorId" text, payload text, "fromState" text, "toState" text,
      at text, "recordedAt" text, "idempotencyKey" text);
    DELETE FROM deadlines WHERE dispute_id = d AND name IN (SELECT jsonb_array_elements_text(s->'disarmDeadlines'));
    INSERT INTO deadlines (dispute_id, name, event_type, due_at, priority, claimed_until)
    SELECT d, a.name, a."eventType", a."dueAt", a.priority, NULL
    FROM jsonb_to_recordset(s->'armDeadlines') AS a(name text, "eventType" text, "dueAt" text, priority int)
    ON CONFLICT (dispute_id, name) DO UPDATE SET event_type = excluded.event_type, due_at = excluded.due_at, priority = excluded.priority, claimed_until = NULL;
    INSERT INTO evidence (id, dispute_id, sha256, size, media_type, kind, uploader_role, uploader_id, uploaded_at, display_name, storage_key)
    SELECT e.id, e."disputeId", e.sha256, e.size, e."mediaType", e.kind, e."uploaderRole", e."uploaderId", e."uploadedAt", e."displayName", e."storageKey"
    FROM jsonb_to_recordset(coalesce(s->'evidence', '[]'::jsonb)) AS e(id text, "disputeId" text, sha256 text, size bigint, "mediaType" text, kind text,
      "uploaderRole" text, "uploaderId" text, "uploadedAt" text, "displayName" text, "storageKey" text);
    INSERT INTO outbox (dispute_id, seq, channel, kind, delivery_id, payload, next_attempt_at, created_at)
    SELECT d, o.seq, o.channel, o.kind, o."deliveryId", o.payload, s->>'updatedAt', s->>'updatedAt'
    FROM jsonb_to_recordset(s->'outbox') AS o(seq int, channel text, kind text, "deliveryId" text, payload text)
    ORDER BY o.seq;
    PERFORM pg_notify('arbiter_commits_' || current_schema(), json_build_object('disputeId', d, 'from', (s->>'expectedVersion')::int, 'to', (s->>'version')::int, 'origin', origin)::text);
    RETURN 'ok';
  EXCEPTION WHEN unique_violation THEN
    GET STACKED DIAGNOSTICS constraint_name = CONSTRAINT_NAME;
    IF constraint_name = 'idempotency_keys_caller_key_pk' THEN
      RETURN 'idempotency_key_taken';
    ELSIF constraint_name = 'disputes_order_item' THEN
      RETURN 'duplicate';
    END IF;
    RETURN 'conflict';
  END;
END
$$;
--> statement-breakpoint
-- A group of steps in one statement, hence one transaction and one commit: each step in order,
-- each in its own subtransaction.
CREATE OR REPLACE FUNCTION arbiter_commit_steps(steps jsonb, origin text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  outcomes text[] := '{}';
  s jsonb;
BEGIN
  FOR s IN SELECT value FROM jsonb_array_elements(steps) WITH ORDINALITY ORDER BY ordinality LOOP
    outcomes := outcomes || arbiter_commit_step(s, origin);
  END LOOP;
  RETURN outcomes;
END
$$;
