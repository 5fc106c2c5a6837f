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

        type Query {
          viewer: User
          project(name: String!, entityName: String): Project
          projects(entityName: String!, first: Int, after: String): ProjectConnection
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
          user: User
          project: Project
          outputArtifacts(after: String, first: Int): ArtifactConnection
          inputArtifacts(after: String, first: Int): ArtifactConnection
          files(names: [String], pattern: String, after: String, first: Int): FileConnection
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
        }

        type ArtifactType {
          id: ID!
          name: String!
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
        }

        type ArtifactPortfolio implements ArtifactCollection {
          id: ID!
          name: String!
          description: String
          project: Project
        }
        """;
}
