import fs from "node:fs";
import wasm from "@prisma/prisma-schema-wasm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffSchemas, lastMigratedSchemaPath, SCHEMA_PATH } from "../scripts/lib/schema-diff";

// The migrations and schema.prisma must describe the same database. Two
// independent checks: Prisma's own differ finds nothing between the schema as
// of the last migration and the current schema (catches "edited schema.prisma,
// forgot npm run db:migration"), and the database that the migrations
// actually build has every model, field, enum and index of schema.prisma
// (catches a hand-edited migration.sql).

type DmmfField = {
  name: string;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  dbName?: string | null;
  nativeType?: [string, string[]] | null;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = {
  model: string;
  type: "id" | "normal" | "unique" | "fulltext";
  fields: { name: string }[];
};
type Dmmf = {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; values: { name: string }[] }[];
    indexes: DmmfIndex[];
  };
};

const dmmf = JSON.parse(
  wasm.get_dmmf(
    JSON.stringify({ prismaSchema: [["schema.prisma", fs.readFileSync(SCHEMA_PATH, "utf8")]] }),
  ),
) as Dmmf;

type Column = {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: string;
  character_maximum_length: number | null;
};

let columns: Column[] = [];
let enumValues = new Map<string, string[]>();
let indexes: { table: string; columns: string[]; unique: boolean; primary: boolean }[] = [];
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  columns = (
    await client.query<Column>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, character_maximum_length
         FROM information_schema.columns WHERE table_schema = 'public'`,
    )
  ).rows;
  const enums = await client.query<{ name: string; value: string }>(
    `SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t
       JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY t.typname, e.enumsortorder`,
  );
  enumValues = new Map();
  for (const { name, value } of enums.rows)
    enumValues.set(name, [...(enumValues.get(name) ?? []), value]);
  indexes = (
    await client.query<{ table: string; columns: string[]; unique: boolean; primary: boolean }>(
      `SELECT t.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary`,
    )
  ).rows;
});

afterAll(async () => {
  await client?.end();
});

/** The Postgres types a Prisma scalar (with its @db native type) may be stored as. */
function compatibleTypes(field: DmmfField): string[] {
  const native = field.nativeType?.[0];
  if (field.kind === "enum") return ["USER-DEFINED"];
  switch (field.type) {
    case "String":
      if (native === "Uuid") return ["uuid"];
      if (native === "VarChar") return ["character varying"];
      if (native === "Char") return ["character"];
      return ["text"];
    case "Int":
      return ["integer"];
    case "BigInt":
      return ["bigint"];
    case "Float":
      return ["double precision"];
    case "Decimal":
      return ["numeric"];
    case "Boolean":
      return ["boolean"];
    case "DateTime":
      return native === "Timestamp"
        ? ["timestamp without time zone"]
        : native === "Date"
          ? ["date"]
          : ["timestamp with time zone", "timestamp without time zone"];
    case "Json":
      return ["jsonb", "json"];
    case "Bytes":
      return ["bytea"];
    default:
      return [];
  }
}

const models = dmmf.datamodel.models;

describe("migrations and schema.prisma", () => {
  it("schema.prisma has no change that is missing from a migration", async () => {
    const sql = await diffSchemas(
      await lastMigratedSchemaPath(),
      SCHEMA_PATH,
      process.env.DATABASE_URL!,
    );
    expect(
      sql,
      "schema.prisma changed since the last migration: run `npm run db:migration -- <name>`",
    ).toBe("");
  });

  it.each(models.map((model) => [model.name, model] as const))(
    "model %s: every scalar field is a column of a compatible type and nullability",
    (_, model) => {
      const table = model.dbName ?? model.name;
      const tableColumns = columns.filter((column) => column.table_name === table);
      expect(tableColumns.length, `table ${table} exists`).toBeGreaterThan(0);
      for (const field of model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum")) {
        const columnName = field.dbName ?? field.name;
        const column = tableColumns.find((c) => c.column_name === columnName);
        expect(column, `${table}.${columnName} exists`).toBeDefined();
        if (!column) continue;
        const expected = compatibleTypes(field);
        const actual = field.isList ? column.udt_name.replace(/^_/, "") : column.data_type;
        if (field.isList)
          expect(column.data_type, `${table}.${columnName} is an array`).toBe("ARRAY");
        else
          expect(
            expected,
            `${table}.${columnName} (${field.type}) stored as ${column.data_type}`,
          ).toContain(actual);
        if (field.kind === "enum") expect(column.udt_name).toBe(field.type);
        const length = field.nativeType?.[1]?.[0];
        if (length && (field.nativeType?.[0] === "VarChar" || field.nativeType?.[0] === "Char")) {
          expect(column.character_maximum_length, `${table}.${columnName} length`).toBe(
            Number(length),
          );
        }
        // Prisma does not add NOT NULL to scalar lists (a required list may still be stored as NULL).
        if (!field.isList) {
          expect(column.is_nullable, `${table}.${columnName} nullability`).toBe(
            field.isRequired ? "NO" : "YES",
          );
        }
      }
    },
  );

  it("every enum exists with the same values in the same order", () => {
    for (const enumType of dmmf.datamodel.enums) {
      expect(enumValues.get(enumType.name), `enum ${enumType.name}`).toEqual(
        enumType.values.map((v) => v.name),
      );
    }
  });

  it("every @@id, @@unique and @@index exists as an index on the same columns", () => {
    for (const index of dmmf.datamodel.indexes) {
      const model = models.find((m) => m.name === index.model)!;
      const table = model.dbName ?? model.name;
      const wanted = index.fields.map(
        (f) => model.fields.find((x) => x.name === f.name)?.dbName ?? f.name,
      );
      const match = indexes.find(
        (i) =>
          i.table === table &&
          i.columns.join(",") === wanted.join(",") &&
          (index.type === "id" ? i.primary : index.type === "unique" ? i.unique : true),
      );
      expect(match, `${index.type} index on ${table}(${wanted.join(", ")})`).toBeDefined();
    }
  });

  it("every tenant-owned model carries organizationId", () => {
    const global = new Set([
      "Organization",
      "User",
      "Account",
      "RateLimitBucket",
      "DevMailboxEmail",
    ]);
    for (const model of models.filter((m) => !global.has(m.name))) {
      const field = model.fields.find((f) => f.name === "organizationId");
      expect(field?.isRequired, `${model.name}.organizationId is required`).toBe(true);
    }
  });
});
