#!/usr/bin/env python3
"""Generates the Swift wire types and their protobuf-c conversions.

Input: a FileDescriptorSet written by `protoc --include_source_info --descriptor_set_out`.
Output: one Swift file with, for every message, a `Sendable` value type and its
conversion to and from the protobuf-c struct that `protoc-c` generated for it; for
every enum, a Swift enum; for every service, a namespace of typed `RPCMethod`s.

Why generated: the C structs are the only way into protobuf-c, and hand-written
conversions for dozens of messages drift. The output is committed; CI regenerates it
and fails on any difference.
"""
import sys

from google.protobuf import descriptor_pb2

FD = descriptor_pb2.FieldDescriptorProto

SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "func", "import", "init",
    "inout", "internal", "let", "operator", "private", "protocol", "public", "static",
    "struct", "subscript", "typealias", "var", "break", "case", "continue", "default",
    "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
    "switch", "where", "while", "as", "catch", "false", "is", "nil", "rethrows", "super",
    "self", "Self", "throw", "throws", "true", "try", "Type", "Protocol",
}

# proto scalar type -> (Swift type, Swift default, C element type is the same width)
SCALARS = {
    FD.TYPE_DOUBLE: ("Double", "0"),
    FD.TYPE_FLOAT: ("Float", "0"),
    FD.TYPE_INT64: ("Int64", "0"),
    FD.TYPE_SINT64: ("Int64", "0"),
    FD.TYPE_SFIXED64: ("Int64", "0"),
    FD.TYPE_UINT64: ("UInt64", "0"),
    FD.TYPE_FIXED64: ("UInt64", "0"),
    FD.TYPE_INT32: ("Int32", "0"),
    FD.TYPE_SINT32: ("Int32", "0"),
    FD.TYPE_SFIXED32: ("Int32", "0"),
    FD.TYPE_UINT32: ("UInt32", "0"),
    FD.TYPE_FIXED32: ("UInt32", "0"),
}


def camel(name, upper_first=False):
    parts = [p for p in name.split("_") if p]
    out = "".join(p[:1].upper() + p[1:].lower() if p.isupper() else p[:1].upper() + p[1:] for p in parts)
    if not upper_first:
        out = out[:1].lower() + out[1:]
    return out


def swift_ident(name):
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


def upper_snake(name):
    out = ""
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0 and (not name[i - 1].isupper()):
            out += "_"
        out += ch.upper()
    return out


def c_lower_name(package, name):
    """protoc-c's lower-case identifier: training.v1 + RequestFrame -> training__v1__request_frame."""
    parts = package.split(".") + [upper_snake(name).lower()]
    return "__".join(parts)


def c_type_name(package, name):
    parts = [p[:1].upper() + p[1:] for p in package.split(".")] + [name]
    return "__".join(parts)


class Comments:
    def __init__(self, file_proto):
        self.by_path = {}
        for loc in file_proto.source_code_info.location:
            text = loc.leading_comments or loc.trailing_comments
            if text:
                self.by_path[tuple(loc.path)] = text

    def doc(self, path, indent):
        text = self.by_path.get(tuple(path))
        if not text:
            return ""
        lines = [l.strip() for l in text.strip("\n").split("\n")]
        return "".join(f"{indent}/// {l}".rstrip() + "\n" for l in lines)


def gen_enum(out, enum, package, comments, path):
    name = enum.name
    prefix = upper_snake(name) + "_"
    out.append(comments.doc(path, ""))
    out.append(f"public enum {name}: Int32, Sendable, Hashable, CaseIterable {{\n")
    for i, value in enumerate(enum.value):
        vname = value.name[len(prefix):] if value.name.startswith(prefix) else value.name
        out.append(comments.doc(path + [2, i], "    "))
        out.append(f"    case {swift_ident(camel(vname))} = {value.number}\n")
    out.append("\n    /// The name the value has in the .proto file, as a client in another language sees it.\n")
    out.append("    public var protoName: String {\n        switch self {\n")
    for value in enum.value:
        vname = value.name[len(prefix):] if value.name.startswith(prefix) else value.name
        out.append(f"        case .{swift_ident(camel(vname))}: \"{value.name}\"\n")
    out.append("        }\n    }\n}\n\n")


def field_info(field, package):
    """Returns (swift_type, default, kind) for a field, ignoring repetition."""
    t = field.type
    if t in SCALARS:
        return SCALARS[t] + ("scalar",)
    if t == FD.TYPE_BOOL:
        return ("Bool", "false", "bool")
    if t == FD.TYPE_STRING:
        return ("String", '""', "string")
    if t == FD.TYPE_BYTES:
        return ("[UInt8]", "[]", "bytes")
    if t == FD.TYPE_ENUM:
        ename = field.type_name.split(".")[-1]
        return (ename, None, "enum")
    if t == FD.TYPE_MESSAGE:
        mname = field.type_name.split(".")[-1]
        return (mname, "nil", "message")
    raise SystemExit(f"unsupported field type {t} for {field.name}")


def gen_message(out, msg, package, comments, path, enums_first_case, enums_last_case):
    if msg.nested_type or msg.enum_type:
        raise SystemExit(f"{msg.name}: nested types are not supported by the generator; declare them at top level")
    if msg.oneof_decl:
        raise SystemExit(f"{msg.name}: oneof is not supported by the generator yet")
    name = msg.name
    ctype = c_type_name(package, name)
    clower = c_lower_name(package, name)
    fields = []
    for i, f in enumerate(msg.field):
        stype, default, kind = field_info(f, package)
        repeated = f.label == FD.LABEL_REPEATED
        if kind == "enum":
            default = "." + enums_first_case[stype]
        if repeated:
            decl_type, default = f"[{stype}]", "[]"
        elif kind == "message":
            decl_type = f"{stype}?"
        else:
            decl_type = stype
        fields.append(dict(proto=f.name, swift=swift_ident(camel(f.name)), bare=camel(f.name), stype=stype,
                           decl=decl_type, default=default, kind=kind, repeated=repeated, idx=i))

    out.append(comments.doc(path, ""))
    out.append(f"public struct {name}: Sendable, Hashable {{\n")
    for f in fields:
        out.append(comments.doc(path + [2, f["idx"]], "    "))
        out.append(f"    public var {f['swift']}: {f['decl']}\n")
    params = ", ".join(f"{f['swift']}: {f['decl']} = {f['default']}" for f in fields)
    out.append(f"\n    public init({params}) {{\n")
    for f in fields:
        out.append(f"        self.{f['bare']} = {f['swift']}\n")
    out.append("    }\n}\n\n")

    # Conversion to and from protobuf-c.
    out.append(f"extension {name}: ProtobufCMessageConvertible {{\n")
    out.append(f"    public static let protoName = \"{package}.{name}\"\n")
    out.append(f"    typealias CMessage = {ctype}\n\n")
    out.append("    static func makeCMessage(in arena: CArena) -> UnsafeMutablePointer<CMessage> {\n")
    out.append(f"        let message = arena.allocate(CMessage.self)\n        {clower}__init(message)\n        return message\n    }}\n\n")
    out.append("    func fill(_ message: UnsafeMutablePointer<CMessage>, arena: CArena) {\n")
    for f in fields:
        cf = f["proto"]
        v = f"self.{f['bare']}"
        k = f["kind"]
        if f["repeated"]:
            out.append(f"        message.pointee.n_{cf} = {v}.count\n")
            if k == "scalar":
                out.append(f"        message.pointee.{cf} = arena.copy({v})\n")
            elif k == "bool":
                out.append(f"        message.pointee.{cf} = arena.copy({v}.map {{ $0 ? 1 : 0 }})\n")
            elif k == "string":
                out.append(f"        message.pointee.{cf} = arena.copy({v}.map {{ Optional(arena.string($0)) }})\n")
            elif k == "bytes":
                out.append(f"        message.pointee.{cf} = arena.copy({v}.map {{ arena.binary($0) }})\n")
            elif k == "enum":
                ce = c_type_name(package, f["stype"])
                out.append(f"        message.pointee.{cf} = arena.copy({v}.map {{ {ce}(rawValue: UInt32(bitPattern: $0.rawValue)) }})\n")
            elif k == "message":
                out.append(f"        message.pointee.{cf} = arena.copy({v}.map {{ Optional($0.makeFilledCMessage(in: arena)) }})\n")
        else:
            if k in ("scalar",):
                out.append(f"        message.pointee.{cf} = {v}\n")
            elif k == "bool":
                out.append(f"        message.pointee.{cf} = {v} ? 1 : 0\n")
            elif k == "string":
                out.append(f"        message.pointee.{cf} = arena.string({v})\n")
            elif k == "bytes":
                out.append(f"        message.pointee.{cf} = arena.binary({v})\n")
            elif k == "enum":
                ce = c_type_name(package, f["stype"])
                out.append(f"        message.pointee.{cf} = {ce}(rawValue: UInt32(bitPattern: {v}.rawValue))\n")
            elif k == "message":
                out.append(f"        if let value = {v} {{ message.pointee.{cf} = value.makeFilledCMessage(in: arena) }}\n")
    if not fields:
        out.append("        _ = message\n        _ = arena\n")
    out.append("    }\n\n")

    out.append("    init(cMessage message: UnsafePointer<CMessage>) throws(WireError) {\n")
    if not fields:
        out.append("        _ = message\n")
    for f in fields:
        cf = f["proto"]
        k = f["kind"]
        b = f["bare"]
        if f["repeated"]:
            src = f"CRepeated(count: message.pointee.n_{cf}, base: message.pointee.{cf})"
            if k == "scalar":
                out.append(f"        self.{b} = {src}.map {{ $0 }}\n")
            elif k == "bool":
                out.append(f"        self.{b} = {src}.map {{ $0 != 0 }}\n")
            elif k == "string":
                out.append(f"        self.{b} = {src}.map {{ CDecode.string($0) }}\n")
            elif k == "bytes":
                out.append(f"        self.{b} = {src}.map {{ CDecode.bytes($0) }}\n")
            elif k == "enum":
                out.append(f"        self.{b} = try {src}.mapIndexed {{ (i, value) throws(WireError) in try CDecode.enumValue(value.rawValue, as: {f['stype']}.self, field: \"{cf}\", index: i) }}\n")
            elif k == "message":
                out.append(f"        self.{b} = try {src}.mapIndexed {{ (i, value) throws(WireError) in\n")
                out.append(f"            do throws(WireError) {{ return try {f['stype']}(cMessage: CDecode.present(value)) }} catch {{ throw error.prefixed(\"{cf}\", index: i) }}\n")
                out.append("        }\n")
        else:
            if k == "scalar":
                out.append(f"        self.{b} = message.pointee.{cf}\n")
            elif k == "bool":
                out.append(f"        self.{b} = message.pointee.{cf} != 0\n")
            elif k == "string":
                out.append(f"        self.{b} = CDecode.string(message.pointee.{cf})\n")
            elif k == "bytes":
                out.append(f"        self.{b} = CDecode.bytes(message.pointee.{cf})\n")
            elif k == "enum":
                out.append(f"        self.{b} = try CDecode.enumValue(message.pointee.{cf}.rawValue, as: {f['stype']}.self, field: \"{cf}\")\n")
            elif k == "message":
                out.append(f"        if let value = message.pointee.{cf} {{\n")
                out.append(f"            do throws(WireError) {{ self.{b} = try {f['stype']}(cMessage: value) }} catch {{ throw error.prefixed(\"{cf}\") }}\n")
                out.append(f"        }} else {{\n            self.{b} = nil\n        }}\n")
    out.append("    }\n}\n\n")
    gen_samples(out, name, fields, enums_last_case)


SAMPLE_SCALARS = {
    "Double": ["-1.5e308", "2.2250738585072014e-308"],
    "Float": ["3.4028235e38", "-1.0e-38"],
    "Int64": ["Int64.min", "Int64.max"],
    "UInt64": ["UInt64.max", "1"],
    "Int32": ["Int32.min", "Int32.max"],
    "UInt32": ["UInt32.max", "1"],
}


def sample_value(f, variant, enums_last_case):
    k, t = f["kind"], f["stype"]
    if k == "scalar":
        return SAMPLE_SCALARS[t][variant]
    if k == "bool":
        return "true"
    if k == "string":
        return ['"座席 agent ✓ 🎧 Ünïcode"', '"x"'][variant]
    if k == "bytes":
        return ["[0, 255, 1, 128]", "[7]"][variant]
    if k == "enum":
        return "." + enums_last_case[t]
    if k == "message":
        return f"{t}.wireSamples[1]"
    raise SystemExit(k)


def gen_samples(out, name, fields, enums_last_case):
    """Edge-value samples of every message: empty, and every field at an extreme."""
    out.append(f"extension {name}: WireSampled {{\n")
    out.append("    public static var wireSamples: [Self] {\n        [\n            Self(),\n")
    args = []
    for f in fields:
        if f["repeated"]:
            args.append(f"{f['swift']}: [{sample_value(f, 0, enums_last_case)}, {sample_value(f, 1, enums_last_case)}]")
        else:
            args.append(f"{f['swift']}: {sample_value(f, 0, enums_last_case)}")
    out.append(f"            Self({', '.join(args)}),\n        ]\n    }}\n}}\n\n")


def gen_service(out, svc, package, comments, path):
    out.append(comments.doc(path, ""))
    out.append(f"public enum {svc.name}Methods {{\n")
    out.append(f"    /// The fully qualified service name, as health checks and method paths use it.\n")
    out.append(f"    public static let serviceName = \"{package}.{svc.name}\"\n")
    for i, m in enumerate(svc.method):
        if m.client_streaming or m.server_streaming:
            raise SystemExit(f"{svc.name}.{m.name}: streaming is not supported")
        req = m.input_type.split(".")[-1]
        res = m.output_type.split(".")[-1]
        out.append("\n" + comments.doc(path + [2, i], "    "))
        mname = m.name[:1].lower() + m.name[1:]
        out.append(f"    public static let {swift_ident(mname)} = RPCMethod<{req}, {res}>(path: \"/{package}.{svc.name}/{m.name}\")\n")
    out.append("\n    /// Every method of the service, for routing tables and documentation.\n")
    paths = ", ".join(f"\"/{package}.{svc.name}/{m.name}\"" for m in svc.method)
    out.append(f"    public static let methodPaths: [String] = [{paths}]\n")
    out.append("}\n\n")


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: swift_wire_gen.py DESCRIPTOR_SET OUT.swift")
    fds = descriptor_pb2.FileDescriptorSet()
    with open(sys.argv[1], "rb") as fh:
        fds.ParseFromString(fh.read())
    files = [f for f in fds.file if f.package.startswith("training.")]
    enums_first_case, enums_last_case = {}, {}
    for f in files:
        for e in f.enum_type:
            prefix = upper_snake(e.name) + "_"
            first, last = e.value[0].name, e.value[-1].name
            enums_first_case[e.name] = camel(first[len(prefix):] if first.startswith(prefix) else first)
            enums_last_case[e.name] = camel(last[len(prefix):] if last.startswith(prefix) else last)
    out = [
        "// Generated by scripts/codegen/swift_wire_gen.py from proto/. Do not edit.\n",
        "// Regenerate with scripts/generate-proto.\n\n",
        "import CProtobufC\nimport TrainingProtoC\n\n",
    ]
    all_messages = []
    for f in sorted(files, key=lambda f: f.name):
        comments = Comments(f)
        out.append(f"// MARK: - {f.name}\n\n")
        for i, e in enumerate(f.enum_type):
            gen_enum(out, e, f.package, comments, [5, i])
        for i, m in enumerate(f.message_type):
            gen_message(out, m, f.package, comments, [4, i], enums_first_case, enums_last_case)
            all_messages.append(m.name)
        for i, s in enumerate(f.service):
            gen_service(out, s, f.package, comments, [6, i])
    out.append("/// Every message of the contract, for tests and leak checks that must cover them all.\n")
    out.append("public enum WireCatalog {\n    public static let messageTypes: [any WireSampled.Type] = [\n")
    for m in all_messages:
        out.append(f"        {m}.self,\n")
    out.append("    ]\n}\n")
    text = "".join(out).rstrip("\n") + "\n"
    with open(sys.argv[2], "w") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
