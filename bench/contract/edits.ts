import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** One deterministic change to a corpus file: `find` must occur exactly once and becomes `replace`. */
export interface Edit {
  file: string
  find: string
  replace: string
  /** The buf breaking rule(s) the edit should trigger, for the reader; REST path changes trigger none. */
  expect: string
}

const PURGE_QUEUE_RPC = `  rpc PurgeQueue(PurgeQueueRequest) returns (Queue) {
    option (google.api.http) = {
      post: "/v2/{name=projects/*/locations/*/queues/*}:purge"
      body: "*"
    };
    option (google.api.method_signature) = "name";
  }
`

/** The 6 edits in 5 files of the contract anchors' breaking baseline (buf reports 6 findings for them). */
export const HEAD_EDITS: Edit[] = [
  { file: 'google/type/money.proto', find: '  int64 units = 2;', replace: '  int32 units = 2;', expect: 'FIELD_SAME_TYPE' },
  { file: 'google/rpc/code.proto', find: '  DATA_LOSS = 15;\n', replace: '', expect: 'ENUM_VALUE_NO_DELETE' },
  { file: 'google/type/latlng.proto', find: '  double longitude = 2;', replace: '  double longitude = 2 [json_name = "lng"];', expect: 'FIELD_SAME_JSON_NAME' },
  { file: 'google/cloud/tasks/v2/cloudtasks.proto', find: PURGE_QUEUE_RPC, replace: '', expect: 'RPC_NO_DELETE' },
  {
    file: 'google/cloud/tasks/v2/cloudtasks.proto',
    find: 'get: "/v2/{name=projects/*/locations/*/queues/*}"\n',
    replace: 'get: "/v3/{name=projects/*/locations/*/queues/*}"\n',
    expect: 'none (buf does not check google.api.http)'
  },
  {
    file: 'google/pubsub/v1/pubsub.proto',
    find: '  map<string, string> labels = 2 [(google.api.field_behavior) = OPTIONAL];\n',
    replace: '',
    expect: 'FIELD_NO_DELETE + MESSAGE_NO_DELETE (Topic.LabelsEntry)'
  }
]

/** Applies the edits in order under `root`; fails naming the file when a text is missing or ambiguous. */
export async function applyEdits(root: string, edits: Edit[]): Promise<void> {
  for (const edit of edits) {
    const file = path.join(root, edit.file)
    const text = await readFile(file, 'utf8')
    const at = text.indexOf(edit.find)
    if (at < 0 || text.indexOf(edit.find, at + 1) >= 0) {
      throw new Error(`${edit.file}: expected exactly one occurrence of ${JSON.stringify(edit.find.slice(0, 60))}, found ${at < 0 ? 'none' : 'several'}`)
    }
    await writeFile(file, text.slice(0, at) + edit.replace + text.slice(at + edit.find.length))
  }
}
