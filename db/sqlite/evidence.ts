/** Evidence metadata on SQLite (R-EVID-*): immutable rows; the bytes live in evidence storage. */
import type { EvidenceRecord } from '../store.ts';
import type { Sqlite } from './connection.ts';

const columns = `id, dispute_id as disputeId, sha256, size, media_type as mediaType, kind, uploader_role as uploaderRole, uploader_id as uploaderId,
  uploaded_at as uploadedAt, display_name as displayName, storage_key as storageKey`;

export function evidenceReads(c: Sqlite) {
  const list = c.prepare(`select ${columns} from evidence where dispute_id = ? order by uploaded_at, id`);
  const one = c.prepare(`select ${columns} from evidence where dispute_id = ? and id = ?`);
  const bySha = c.prepare(`select ${columns} from evidence where sha256 = ? limit 1`);
  return {
    listEvidence: (disputeId: string) => list.all(disputeId) as EvidenceRecord[],
    getEvidence: (disputeId: string, evidenceId: string) => one.get(disputeId, evidenceId) as EvidenceRecord | undefined,
    evidenceBySha: (sha256: string) => bySha.get(sha256) as EvidenceRecord | undefined,
  };
}

export function evidenceWrites(c: Sqlite) {
  const insert = c.prepare(
    `insert into evidence (id, dispute_id, sha256, size, media_type, kind, uploader_role, uploader_id, uploaded_at, display_name, storage_key)
     values (@id, @disputeId, @sha256, @size, @mediaType, @kind, @uploaderRole, @uploaderId, @uploadedAt, @displayName, @storageKey)`,
  );
  return {
    record: (files: EvidenceRecord[]) => {
      for (const file of files) insert.run(file);
    },
  };
}
