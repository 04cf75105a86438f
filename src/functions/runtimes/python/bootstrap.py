"""Stratus's Python runtime for Lambda functions.

Runs inside the execution environment under the host's /usr/bin/python3 (standard library only),
imports the handler named by _HANDLER (``module.function``, dotted or slashed module paths) and
serves it through the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API: the loop Lambda's own Python
runtime runs. Errors are reported as Lambda's Python runtime reports them
(``errorMessage``, ``errorType``, ``requestId``, ``stackTrace``); the root logger writes
``[LEVEL]\\t<time>\\t<request id>\\t<message>`` records, one log event each.

The Runtime API client is a few lines over a raw socket: http.client alone would add tens of
milliseconds to every cold start.
"""

import json
import logging
import os
import socket
import struct
import sys
import time
import traceback

RUNTIME_FILE = os.path.abspath(__file__)


class RuntimeApi:
    """A keep-alive HTTP/1.1 client for the handful of Runtime API calls."""

    def __init__(self, address, fd=-1):
        host, _, port = address.partition(":")
        self.address = (host, int(port))
        # Stratus's private connection (a Unix socket pair inherited at spawn) serves first; a
        # connection made later (after the server closed it) goes over TCP.
        self.fd = fd
        self.sock = None
        self.buffer = b""

    def _connect(self):
        if self.fd >= 0:
            sock, self.fd = socket.socket(fileno=self.fd), -1
            return sock
        sock = socket.create_connection(self.address)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def call(self, method, path, body=b"", headers=None):
        for attempt in (0, 1):
            if self.sock is None:
                self.sock = self._connect()
                self.buffer = b""
            lines = [f"{method} /2018-06-01/runtime/{path} HTTP/1.1", f"Host: {self.address[0]}", f"Content-Length: {len(body)}"]
            lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
            try:
                self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
                return self._response()
            except OSError:
                self.sock.close()
                self.sock = None
                if attempt:
                    raise

    def _recv(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("Runtime API closed the connection")
        self.buffer += data

    def _response(self):
        while b"\r\n\r\n" not in self.buffer:
            self._recv()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._recv()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return int(lines[0].split(" ")[1]), headers, body


TELEMETRY_FD = int(os.environ.pop("_LAMBDA_TELEMETRY_LOG_FD", "-1"))
RUNTIME_API_FD = int(os.environ.pop("_STRATUS_RUNTIME_API_FD", "-1"))


def write_log(message):
    """One log event: a framed record on the telemetry descriptor, else a line on stdout."""
    data = message.encode("utf-8")
    if TELEMETRY_FD < 0:
        sys.stdout.write(message)
        return
    header = struct.pack(">IIQ", 0xA55A0003, len(data), int(time.time() * 1_000_000))
    os.write(TELEMETRY_FD, header + data)


class LambdaLoggerHandler(logging.Handler):
    def emit(self, record):
        try:
            write_log(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


class RequestIdFilter(logging.Filter):
    request_id = None

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


def install_logging():
    formatter = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


class FaultException(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.trace = trace


def error_document(exc, request_id):
    if isinstance(exc, FaultException):
        return {"errorMessage": str(exc), "errorType": exc.error_type, "requestId": request_id, "stackTrace": exc.trace or []}
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) != RUNTIME_FILE]
    return {"errorMessage": str(exc), "errorType": type(exc).__name__, "requestId": request_id, "stackTrace": traceback.format_list(frames)}


def log_error(doc):
    write_log("[ERROR] %s: %s\nTraceback (most recent call last):\n%s\n" % (doc["errorType"], doc["errorMessage"], "".join(doc["stackTrace"])))


def load_handler(handler):
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {e}")
    module_name = module_name.replace("/", ".")
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise FaultException("Runtime.BuiltInModuleConflict", f"Cannot use built-in module {module_name} as a handler module")
    import importlib

    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise FaultException("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {e}")
    except SyntaxError as e:
        trace = [f'  File "{e.filename}" Line {e.lineno}\n    {e.text}']
        raise FaultException("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {e}", trace)
    function = getattr(module, function_name, None)
    if function is None:
        fault = FaultException("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")

        def missing(event, context):
            raise fault

        return missing
    return function


class CognitoIdentity:
    def __init__(self, doc):
        self.cognito_identity_id = doc.get("cognitoIdentityId")
        self.cognito_identity_pool_id = doc.get("cognitoIdentityPoolId")


class ClientContext:
    def __init__(self, doc):
        self.client = doc.get("client")
        self.custom = doc.get("custom")
        self.env = doc.get("env")


class LambdaContext:
    def __init__(self, request_id, headers):
        env = os.environ
        self.aws_request_id = request_id
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))
        identity = json_header(headers, "lambda-runtime-cognito-identity")
        self.identity = CognitoIdentity(identity or {})
        client_context = json_header(headers, "lambda-runtime-client-context")
        self.client_context = ClientContext(client_context) if client_context else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def json_header(headers, name):
    try:
        return json.loads(headers[name]) if headers.get(name) else None
    except ValueError:
        return None


def to_json(value):
    """Lambda's Python runtime serializes Decimal (as DynamoDB returns numbers)."""

    def default(obj):
        import decimal

        if isinstance(obj, decimal.Decimal):
            return int(obj) if obj == obj.to_integral_value() else float(obj)
        raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")

    return json.dumps(value, default=default).encode("utf-8")


def post_error(api, path, doc):
    api.call("POST", path, json.dumps(doc).encode("utf-8"), {"Lambda-Runtime-Function-Error-Type": doc["errorType"]})


def serve(api, handler):
    while True:
        _, headers, body = api.call("GET", "invocation/next")
        request_id = headers.get("lambda-runtime-aws-request-id", "")
        RequestIdFilter.request_id = request_id
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            event = json.loads(body) if body else None
            result = handler(event, LambdaContext(request_id, headers))
        except Exception as exc:
            doc = error_document(exc, request_id)
            log_error(doc)
            post_error(api, f"invocation/{request_id}/error", doc)
            continue
        try:
            payload = to_json(result)
        except (TypeError, ValueError) as exc:
            doc = {"errorMessage": f"Unable to marshal response: {exc}", "errorType": "Runtime.MarshalError", "requestId": request_id, "stackTrace": []}
            log_error(doc)
            post_error(api, f"invocation/{request_id}/error", doc)
            continue
        api.call("POST", f"invocation/{request_id}/response", payload)


def install_endpoint_default():
    """Points boto3 at AWS_ENDPOINT_URL on a botocore that predates it.

    botocore reads AWS_ENDPOINT_URL itself since 1.31.57; an older one (Debian 12 ships 1.29)
    would send a function's calls to AWS. The patch is made when botocore.client is first
    imported, so functions that never import boto3 pay nothing for it.
    """
    if not os.environ.get("AWS_ENDPOINT_URL"):
        return

    class BotocoreClientFinder:
        def find_spec(self, name, path, target=None):
            if name != "botocore.client":
                return None
            sys.meta_path.remove(self)
            import importlib.util

            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            execute = spec.loader.exec_module

            def exec_module(module):
                execute(module)
                default_endpoint(module)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, BotocoreClientFinder())


def default_endpoint(client_module):
    import botocore

    version = tuple(int(part) for part in botocore.__version__.split(".")[:3] if part.isdigit())
    if version >= (1, 31, 57):
        return
    create_client = client_module.ClientCreator.create_client

    def create_client_at_endpoint(self, *args, **kwargs):
        if len(args) < 4 and kwargs.get("endpoint_url") is None:
            kwargs["endpoint_url"] = os.environ["AWS_ENDPOINT_URL"]
        return create_client(self, *args, **kwargs)

    client_module.ClientCreator.create_client = create_client_at_endpoint


def main():
    # As on Lambda: the function's code first, then its layers (for the version it declared and
    # the one actually running here).
    declared = os.environ.get("AWS_EXECUTION_ENV", "").replace("AWS_Lambda_python", "")
    versions = dict.fromkeys([declared, f"{sys.version_info[0]}.{sys.version_info[1]}"])
    layers = [f"/opt/python/lib/python{v}/site-packages" for v in versions if v] + ["/opt/python"]
    sys.path[0:0] = [os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())] + layers
    install_logging()
    install_endpoint_default()
    api = RuntimeApi(os.environ["AWS_LAMBDA_RUNTIME_API"], RUNTIME_API_FD)
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as exc:
        doc = error_document(exc, "")
        log_error(doc)
        post_error(api, "init/error", doc)
        sys.exit(1)
    serve(api, handler)


if __name__ == "__main__":
    main()
