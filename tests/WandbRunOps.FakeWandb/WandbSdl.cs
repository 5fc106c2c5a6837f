namespace WandbRunOps.FakeWandb;

/// <summary>
/// The SDL the fake serves: the part of W&amp;B's GraphQL schema the SDK and the module use (docs/protocol.md, section 4),
/// written from the field lists the SDK sends. A field that is not here fails validation (HTTP 400), as on W&amp;B.
/// </summary>
public static class WandbSdl
{
    public const string Text = """
        "JSON text in a string; decode it a second time. May hold bare NaN / Infinity."
        scalar JSONString

        "A JSON value, already decoded."
        scalar JSON

        "UTC without a zone designator: 2023-11-05T17:46:35, with .ffffff only when there are sub-second digits."
        scalar DateTime

        "A 64-bit integer, sent as a JSON number."
        scalar Int64

        schema {
          query: Query
          mutation: Mutation
        }

        "The run changes W&B's own clients send (research notes §7.1). id is the run's storage id, never its name."
        type Mutation {
          upsertBucket(input: UpsertBucketInput!): UpsertBucketPayload
          deleteRun(input: DeleteRunInput!): DeleteRunPayload
          stopRun(input: StopRunInput!): StopRunPayload
          updateRunState(input: UpdateRunStateInput!): UpdateRunStatePayload
        }

        input UpsertBucketInput {
          id: String
          name: String
          entityName: String
          modelName: String
          displayName: String
          description: String
          notes: String
          tags: [String!]
          config: JSONString
          groupName: String
          jobType: String
          summaryMetrics: JSONString
          clientMutationId: String
        }

        type UpsertBucketPayload {
          bucket: Run
          inserted: Boolean
          clientMutationId: String
        }

        input DeleteRunInput {
          id: ID!
          deleteArtifacts: Boolean
          clientMutationId: String
        }

        type DeleteRunPayload {
          clientMutationId: String
        }

        input StopRunInput {
          id: ID!
          clientMutationId: String
        }

        type StopRunPayload {
          success: Boolean
          clientMutationId: String
        }

        input UpdateRunStateInput {
          id: ID!
          state: String!
          clientMutationId: String
        }

        type UpdateRunStatePayload {
          success: Boolean
          clientMutationId: String
        }

        type Query {
          viewer: User
          project(name: String!, entityName: String): Project
          projects(entityName: String!, first: Int, after: String): ProjectConnection
          artifact(id: ID!): Artifact
        }

        type ProjectConnection {
          edges: [ProjectEdge!]!
          pageInfo: PageInfo!
        }

        type ProjectEdge {
          node: Project
          cursor: String!
        }

        type User {
          id: ID!
          name: String
          username: String
          email: String
          entity: String
          admin: Boolean
          flags: JSONString
          deletedAt: DateTime
          teams(first: Int, after: String): EntityConnection
        }

        type Entity {
          id: ID!
          name: String!
        }

        type EntityConnection {
          edges: [EntityEdge!]!
          pageInfo: PageInfo!
        }

        type EntityEdge {
          node: Entity
          cursor: String!
        }

        type PageInfo {
          startCursor: String
          endCursor: String
          hasNextPage: Boolean!
          hasPreviousPage: Boolean!
        }

        type Project {
          id: ID!
          internalId: ID!
          name: String!
          entityName: String!
          entity: Entity!
          readOnly: Boolean
          runCount(filters: JSONString): Int!
          runs(filters: JSONString, after: String, first: Int, order: String): RunConnection
          run(name: String!): Run
          createdAt: DateTime
          lastActive: DateTime
          totalSweeps: Int!
          sweeps(after: String, first: Int): SweepConnection
          sweep(sweepName: String!): Sweep
          artifact(name: String!): Artifact
          artifactCollection(name: String!): ArtifactSequence
          artifactTypes(after: String, first: Int): ArtifactTypeConnection
        }

        type ArtifactTypeConnection {
          edges: [ArtifactTypeEdge!]!
          pageInfo: PageInfo!
        }

        type ArtifactTypeEdge {
          node: ArtifactType
          cursor: String!
        }

        type ArtifactCollectionConnection {
          edges: [ArtifactCollectionEdge!]!
          pageInfo: PageInfo!
        }

        type ArtifactCollectionEdge {
          node: ArtifactSequence
          cursor: String!
        }

        type SweepConnection {
          edges: [SweepEdge!]!
          pageInfo: PageInfo!
        }

        type SweepEdge {
          node: Sweep
          cursor: String!
        }

        "A sweep (research notes §7.4): name is the sweep's id, config its YAML text."
        type Sweep {
          id: ID!
          name: String!
          displayName: String
          state: String!
          method: String
          description: String
          bestLoss: Float
          config: String!
          createdAt: DateTime
          updatedAt: DateTime
          runCount: Int!
          runCountExpected: Int
        }

        type RunConnection {
          totalCount: Int!
          edges: [RunEdge!]!
          pageInfo: PageInfo!
        }

        type RunEdge {
          node: Run
          cursor: String!
        }

        type Run {
          id: ID!
          name: String!
          displayName: String
          state: String
          projectId: ID!
          readOnly: Boolean
          config: JSONString
          summaryMetrics: JSONString
          systemMetrics: JSONString
          createdAt: DateTime!
          heartbeatAt: DateTime
          updatedAt: DateTime
          tags: [String!]!
          group: String
          jobType: String
          sweepName: String
          commit: String
          notes: String
          description: String
          stopped: Boolean
          host: String
          computeSeconds: Float
          historyLineCount: Int
          historyKeys: JSON
          history(minStep: Int64, maxStep: Int64, samples: Int): [JSONString!]!
          sampledHistory(specs: [JSONString!]!): [JSON!]!
          events(samples: Int): [JSONString!]!
          metadata: JSONString
          runInfo: RunInfo
          user: User
          project: Project
          outputArtifacts(after: String, first: Int): ArtifactConnection
          inputArtifacts(after: String, first: Int): ArtifactConnection
          logLineCount: Int
          logLines(after: String, before: String, first: Int, last: Int): LogLineConnection
          files(names: [String], pattern: String, after: String, first: Int): FileConnection
        }

        "A run's console lines (research notes §7.2): number is 0-based; level is \"error\" for stderr, empty otherwise."
        type LogLineConnection {
          edges: [LogLineEdge!]!
          pageInfo: PageInfo!
        }

        type LogLineEdge {
          node: LogLine
          cursor: String!
        }

        type LogLine {
          id: ID!
          number: Int
          timestamp: DateTime
          level: String
          label: String
          line: String
        }

        type RunInfo {
          program: String
          args: [String!]
          os: String
          python: String
          gpu: String
          gpuCount: Int
          cpuCount: Int
          git: GitInfo
        }

        type GitInfo {
          remote: String
          commit: String
        }

        type FileConnection {
          pageInfo: PageInfo!
          edges: [FileEdge!]!
        }

        type FileEdge {
          node: File
          cursor: String!
        }

        type File {
          id: ID!
          name: String!
          url: String
          directUrl: String!
          sizeBytes: Int64!
          md5: String
          updatedAt: DateTime
          mimetype: String
        }

        type ArtifactConnection {
          totalCount: Int!
          pageInfo: PageInfo!
          edges: [ArtifactEdge!]!
        }

        type ArtifactEdge {
          node: Artifact
          cursor: String!
        }

        enum ArtifactState {
          PENDING
          COMMITTED
          DELETED
          GARBAGE_COLLECTED
          PENDING_DELETION
        }

        type Artifact {
          id: ID!
          versionIndex: Int
          state: ArtifactState!
          size: Int64!
          digest: String!
          commitHash: String
          fileCount: Int64!
          createdAt: DateTime!
          updatedAt: DateTime
          description: String
          metadata: JSONString
          historyStep: Int64
          ttlDurationSeconds: Int64!
          ttlIsInherited: Boolean!
          tags: [Tag!]!
          artifactType: ArtifactType!
          artifactSequence: ArtifactSequence!
          aliases: [ArtifactAlias!]!
          "W&B's is a union of Run and User; the fake's creators are runs, which an inline fragment on Run also selects."
          createdBy: Run
          usedBy(after: String, first: Int): RunConnection
          "The version's stored files (reference entries are in the manifest only)."
          files(after: String, first: Int): FileConnection
          currentManifest: ArtifactManifest
        }

        "W&B's manifest file of an artifact version (wandb_manifest.json), served as a File."
        type ArtifactManifest {
          id: ID!
          file: File!
        }

        type ArtifactType {
          id: ID!
          name: String!
          artifactCollections(after: String, first: Int): ArtifactCollectionConnection
        }

        type Tag {
          id: ID!
          name: String!
        }

        type ArtifactAlias {
          id: ID!
          alias: String!
          artifactCollection: ArtifactCollection
        }

        interface ArtifactCollection {
          id: ID!
          name: String!
          description: String
          project: Project
        }

        type ArtifactSequence implements ArtifactCollection {
          id: ID!
          name: String!
          description: String
          project: Project
          artifacts(after: String, first: Int): ArtifactConnection
        }

        type ArtifactPortfolio implements ArtifactCollection {
          id: ID!
          name: String!
          description: String
          project: Project
        }
        """;
}
