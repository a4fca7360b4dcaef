// Generated from openapi/openapi.yaml by `npm run gen` — do not edit.
export interface paths {
    "/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue an access token (password grant) or refresh it (refresh_token grant).
         * @description The client authenticates with HTTP Basic (`client_id:client_secret`; the scheme name in
         *     any case) or with the `client_id` and `client_secret` form fields. Tokens are HS256 JWTs
         *     with the claims aud, user_name, scope, iat, exp, authorities, jti, client_id and
         *     credential_version (derived from the user's password hash: a password change revokes
         *     the user's earlier tokens); refresh tokens add ati.
         *
         *     Refresh tokens are single-use (rotation): the refresh_token grant answers a new access
         *     token and a new refresh token, and a refresh token already used is refused with
         *     invalid_grant, also when two requests race and when several server processes share
         *     the database. The grant may narrow the scope, never widen it. Earlier access tokens
         *     stay valid until they expire.
         */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/payment/choice": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Reserve stock for a payment order (all-or-nothing).
         * @description Line items come from `customData.productStockList` (`productStockId`, `orderCount`); when
         *     that is null or absent, from `customData.productInfoList` (productId + color + size → SKU,
         *     `count`). Lines naming the same SKU are added together. If any SKU lacks stock nothing is
         *     taken and the 409 names each short SKU. `amount` is recorded, not checked against
         *     `finalAmount`; `customData.paymentOrderId` is ignored in favour of the query parameter.
         */
        get: operations["reserveStock"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/payment/kcp/payResultTest/{paymentOrderId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Fake payment-gateway result — RESERVED → PAID (idempotent). */
        get: operations["payOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/payment/cancel/{paymentOrderId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Cancel a reservation and restore its stock exactly once (idempotent).
         * @description RESERVED → CANCELLED and the stock comes back. Cancelling a CANCELLED order answers 200 and
         *     restores nothing. An EXPIRED order (its stock already returned) answers 200 unchanged.
         */
        delete: operations["cancelOrder"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__admin/stock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set the available stock of SKUs (creating SKUs that do not exist).
         * @description For each item, available becomes `quantity` and the SKU's initial is recomputed as
         *     quantity + held + paid, so the invariant keeps holding. Missing product fields of a new SKU
         *     default to productId = productStockId, empty color and size. The fields have the catalog's
         *     bounds, and as in the catalog no two SKUs may share productId + color + size (productInfoList
         *     lines name a SKU by them): such a request is refused whole with 409 SKU_CONFLICT.
         */
        put: operations["setStock"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__admin/snapshot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stock per SKU with its invariant, and every order. */
        get: operations["getSnapshot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__admin/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delete every order and restore the catalog the server started with. */
        post: operations["resetStore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__admin/faults": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace the fault rules (delays, forced answers, cut connections) of the public operations.
         * @description Each rule matches the requests of one operation (optionally only those naming a SKU in a
         *     productStockList line, or a paymentOrderId) and, for its next `times` matching requests or
         *     until cleared, delays them, forces one of the operation's declared answers, or cuts the
         *     connection. The first rule that matches a request applies and uses up one of its times.
         *     A delayed request without a forced answer still has its real effect after the delay (a slow
         *     reservation still reserves). A forced answer or a cut connection changes no state.
         *     The whole list is checked before any of it applies: a bad rule is refused with 400 naming
         *     the field, and the rules in force stay as they were. `POST /__admin/reset` clears the rules.
         */
        put: operations["setFaults"];
        post?: never;
        /** Remove every fault rule. */
        delete: operations["clearFaults"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__admin/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The request journal — the last requests to the public operations, oldest first.
         * @description One entry per request to the public API (the test-control API's own requests are not
         *     journalled): method, path without the query, operation, status, problem code, duration,
         *     and for the order operations the paymentOrderId (and a reservation's lines). Tokens,
         *     passwords and client secrets are never recorded. The journal keeps the last `capacity`
         *     entries in memory (`dropped` counts the older ones let go) and `POST /__admin/reset`
         *     empties it.
         */
        get: operations["listRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Letters, digits and the characters _ . : - (at most 64 characters), but not "." or "..": URLs drop those path segments, so pay and cancel could not reach the order. */
        PaymentOrderId: string;
        /** @description Id of a SKU (one product in one colour and size). */
        ProductStockId: number;
        /** @description Id of a product; with color and size it names one SKU (productInfoList lines). */
        ProductId: number;
        ProductName: string;
        Color: string;
        Size: string;
        SalePrice: number;
        /** @description Units of a SKU available to reserve. */
        StockQuantity: number;
        /** @description Units of one SKU in one reservation line. */
        OrderCount: number;
        TokenRequest: {
            /**
             * @description password or refresh_token.
             * @example password
             */
            grant_type: string;
            username?: string;
            password?: string;
            /** @description For the refresh_token grant; single-use, as issued by the last password or refresh grant. */
            refresh_token?: string;
            /** @description Space-separated; must be a subset of "read write" when given. */
            scope?: string;
            client_id?: string;
            client_secret?: string;
        };
        TokenResponse: {
            access_token: string;
            /** @constant */
            token_type: "bearer";
            /** @description Single-use; the refresh_token grant answers a new one and refuses this one afterwards. */
            refresh_token: string;
            expires_in: number;
            scope: string;
            jti: string;
        };
        OAuthError: {
            /** @enum {string} */
            error: "invalid_request" | "invalid_client" | "invalid_grant" | "unsupported_grant_type" | "invalid_scope";
            error_description?: string;
        };
        /** @description RFC 9457 problem details with a stable machine code. */
        Problem: {
            /** Format: uri-reference */
            type: string;
            title: string;
            status: number;
            detail: string;
            instance?: string;
            code: components["schemas"]["ProblemCode"];
            /** @description OUT_OF_STOCK — every SKU that lacked stock. */
            shortages?: components["schemas"]["Shortage"][];
            /** @description UNKNOWN_SKU — every line that named no SKU of the catalog. */
            unknownSkus?: string[];
            /** @description SKU_CONFLICT — the two SKUs that would share one productId + color + size. */
            conflictingSkus?: components["schemas"]["ProductStockId"][];
            /** @description Validation errors, one per offending field. */
            errors?: components["schemas"]["FieldError"][];
        };
        /** @enum {string} */
        ProblemCode: "INVALID_PARAMETER" | "MISSING_PARAMETER" | "DUPLICATE_PARAMETER" | "MALFORMED_CUSTOM_DATA" | "INVALID_CUSTOM_DATA" | "NO_LINE_ITEMS" | "TOO_MANY_LINE_ITEMS" | "INVALID_COUNT" | "UNKNOWN_SKU" | "INVALID_TOKEN" | "INSUFFICIENT_SCOPE" | "ORDER_NOT_FOUND" | "OUT_OF_STOCK" | "DUPLICATE_PAYMENT_ORDER" | "ORDER_CANCELLED" | "ORDER_EXPIRED" | "ORDER_PAID" | "URI_TOO_LONG" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "SKU_CONFLICT" | "ADMIN_KEY_REQUIRED" | "ADMIN_ORIGIN_NOT_ALLOWED" | "HOST_NOT_ALLOWED" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "STORE_BUSY" | "STORE_FULL" | "INTERNAL";
        Shortage: {
            productStockId: components["schemas"]["ProductStockId"];
            requested: number;
            available: number;
        };
        FieldError: {
            /** @description Where the error is, e.g. `query.amount` or `customData.productStockList[1].orderCount`. */
            path: string;
            message: string;
        };
        /** @enum {string} */
        OrderStatus: "RESERVED" | "PAID" | "CANCELLED" | "EXPIRED";
        OrderLine: {
            productStockId: components["schemas"]["ProductStockId"];
            productId: number;
            productName: string;
            color: string;
            size: string;
            count: number;
        };
        Order: {
            paymentOrderId: components["schemas"]["PaymentOrderId"];
            status: components["schemas"]["OrderStatus"];
            /** @description user_name of the token that reserved the order. */
            userName: string;
            lines: components["schemas"]["OrderLine"][];
            amount: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description When an unpaid reservation expires (null when holds do not expire). */
            expiresAt: string | null;
        };
        /**
         * @description The decoded value of the `customData` query parameter, in the shape of the seed's checkout
         *     client. Only the line items are used; other fields are accepted and ignored.
         */
        CustomData: {
            orderId?: number | null;
            addressId?: number | null;
            paymentOrderId?: string | null;
            userId?: number | null;
            finalAmount?: number | null;
            productInfoList?: components["schemas"]["ProductInfo"][] | null;
            productStockList?: components["schemas"]["ProductStockLine"][] | null;
        } & {
            [key: string]: unknown;
        };
        ProductStockLine: {
            productStockId: components["schemas"]["ProductStockId"];
            orderCount: components["schemas"]["OrderCount"];
            productId?: number | null;
            productName?: string | null;
            salePrice?: number | null;
            color?: string | null;
            size?: string | null;
        } & {
            [key: string]: unknown;
        };
        ProductInfo: {
            productId: components["schemas"]["ProductId"];
            color: components["schemas"]["Color"];
            size: components["schemas"]["Size"];
            count: components["schemas"]["OrderCount"];
        } & {
            [key: string]: unknown;
        };
        SkuStock: {
            productStockId: components["schemas"]["ProductStockId"];
            productId: number;
            productName: string;
            color: string;
            size: string;
            /** @description available + held + paid as last set. */
            initial: number;
            available: number;
            /** @description Units in RESERVED orders. */
            held: number;
            /** @description Units in PAID orders. */
            paid: number;
            /** @description initial = available + held + paid, available ≥ 0, and held and paid equal the sums over the orders. */
            invariantHolds: boolean;
        };
        Snapshot: {
            /** Format: date-time */
            takenAt: string;
            invariantHolds: boolean;
            skus: components["schemas"]["SkuStock"][];
            orders: components["schemas"]["Order"][];
            /** @description The fault rules in force (the reference's test-control API; other servers may omit it). */
            faults?: components["schemas"]["FaultRuleState"][];
        };
        FaultRulesRequest: {
            /** @description The rules in the order they are tried; they replace the rules in force. */
            rules: components["schemas"]["FaultRule"][];
        };
        /**
         * @description What to do to the matching requests of one operation: a delay, a forced answer (`status`
         *     and/or `code`, one the operation declares) or a cut connection (`transport`), the delay
         *     combinable with either of the others. At least one of delayMs, status, code, transport.
         */
        FaultRule: {
            /** @enum {string} */
            operationId: "createToken" | "reserveStock" | "payOrder" | "cancelOrder";
            /** @description reserveStock only — matches reservations with a productStockList line naming this SKU. */
            productStockId?: components["schemas"]["ProductStockId"];
            /** @description reserveStock, payOrder and cancelOrder only — matches requests naming this paymentOrderId. */
            paymentOrderId?: components["schemas"]["PaymentOrderId"];
            /** @description Milliseconds to wait before answering (at most 30 s). */
            delayMs?: number;
            /** @description A status the operation declares, answered instead of running it. */
            status?: number;
            /** @description A code the operation declares (a problem code, or an OAuth error on createToken); picks the answer within its status. */
            code?: string;
            /**
             * @description Cut the connection without an answer, with a TCP reset or a plain close.
             * @enum {string}
             */
            transport?: "connectionReset" | "emptyReply";
            /** @description How many matching requests the rule applies to; absent, until cleared. */
            times?: number;
        };
        FaultRuleState: {
            id: number;
            rule: components["schemas"]["FaultRule"];
            /** @description How many requests the rule has applied to. */
            applied: number;
            /** @description How many more requests it applies to; null, until cleared. */
            remaining: number | null;
        };
        FaultRules: {
            rules: components["schemas"]["FaultRuleState"][];
        };
        /** @description A reservation line as the request gave it (productStockList or productInfoList). */
        JournalLine: {
            productStockId?: number;
            productId?: number;
            color?: string;
            size?: string;
            count: number;
        };
        JournalEntry: {
            /**
             * Format: date-time
             * @description When the request arrived.
             */
            at: string;
            method: string;
            /** @description The path without the query. */
            path: string;
            /** @description The operation the request called; null for a path the API does not have. */
            operationId: string | null;
            /** @description The answer's status; 0 when the connection was cut without one. */
            status: number;
            /** @description The problem's code (the OAuth error on the token endpoint); null for a success. */
            code: string | null;
            durationMs: number;
            /** @description Why the answer was not the operation's own ("prefer" or "fault"); null when it was. */
            forcedBy: ("prefer" | "fault") | null;
            /** @description The delay a fault rule added. */
            delayedMs?: number;
            paymentOrderId?: string;
            lines?: components["schemas"]["JournalLine"][];
        };
        RequestJournal: {
            /** @description How many entries the journal keeps. */
            capacity: number;
            /** @description Entries let go since the last reset because the journal was full. */
            dropped: number;
            requests: components["schemas"]["JournalEntry"][];
        };
        SetStockRequest: {
            items: components["schemas"]["SetStockItem"][];
        };
        SetStockItem: {
            productStockId: components["schemas"]["ProductStockId"];
            quantity: components["schemas"]["StockQuantity"];
            productId?: components["schemas"]["ProductId"];
            productName?: components["schemas"]["ProductName"];
            color?: components["schemas"]["Color"];
            size?: components["schemas"]["Size"];
            salePrice?: components["schemas"]["SalePrice"];
        };
        /** @description A catalog file (`--catalog FILE`, JSON) — the SKUs and stock the server starts with. */
        Catalog: {
            products: components["schemas"]["CatalogProduct"][];
        };
        CatalogProduct: {
            productStockId: components["schemas"]["ProductStockId"];
            productId: components["schemas"]["ProductId"];
            productName: components["schemas"]["ProductName"];
            color: components["schemas"]["Color"];
            size: components["schemas"]["Size"];
            salePrice?: components["schemas"]["SalePrice"];
            stock: components["schemas"]["StockQuantity"];
        };
    };
    responses: {
        /**
         * @description The request is malformed: INVALID_PARAMETER, MISSING_PARAMETER, DUPLICATE_PARAMETER,
         *     MALFORMED_CUSTOM_DATA, INVALID_CUSTOM_DATA, NO_LINE_ITEMS, TOO_MANY_LINE_ITEMS,
         *     INVALID_COUNT or UNKNOWN_SKU. Nothing is changed.
         */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Missing, malformed, forged or expired access token (RFC 6750 invalid_token). */
        Unauthorized: {
            headers: {
                /** @description Bearer challenge, e.g. `Bearer realm="stockproof", error="invalid_token"`. */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The token lacks the scope this operation needs (RFC 6750 insufficient_scope). */
        Forbidden: {
            headers: {
                /** @description Bearer challenge with error="insufficient_scope". */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description ORDER_NOT_FOUND — no such order for the user of the token. */
        OrderNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description URI_TOO_LONG — the request target exceeds the server's limit. */
        UriTooLong: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description PAYLOAD_TOO_LARGE — the body exceeds the server's limit. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description UNSUPPORTED_MEDIA_TYPE — the body is not of the media type the operation takes. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description STORE_BUSY — the database stayed locked past busy_timeout; or STORE_FULL — the database
         *     could not grow (disk full, or a size limit of the file). Nothing was changed; retry after
         *     the given seconds (for STORE_FULL, once space has been freed).
         */
        StoreBusy: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description ADMIN_KEY_REQUIRED — missing or wrong X-Admin-Key. */
        AdminUnauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description ADMIN_ORIGIN_NOT_ALLOWED — a browser page of another origin (its `Origin` header) called the
         *     test-control API; only origins listed one by one with `--cors` may (not `loopback`, not `*`).
         */
        AdminOriginNotAllowed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description HOST_NOT_ALLOWED — the request's `Host` is not a name this server answers to (a DNS-rebinding
         *     page names its own host): loopback names, IP addresses, the `--host` it binds and the
         *     `--allowed-hosts` list are. Refused before any route runs.
         */
        HostNotAllowed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description NOT_FOUND — the test-control API is disabled on this server. */
        AdminDisabled: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /**
         * @description Test control (RFC 7240, in Prism's spelling), honoured while the test-control API is on:
         *     `code=503` answers the operation's declared 503 (STORE_BUSY with Retry-After) instead of
         *     running it; `code=409, example=OUT_OF_STOCK` picks one of the status's declared codes (by
         *     default the first); `example=ORDER_PAID` alone picks the status that declares that code.
         *     A 401 carries the RFC 6750 challenge. A forced answer changes no state and carries
         *     `Preference-Applied` naming what was applied. A code the operation does not declare is
         *     refused with 400 (an OAuth `invalid_request` on the token endpoint) naming the declared ones.
         *     Other preferences are ignored.
         * @example code=503
         */
        Prefer: string;
        /**
         * @description Store identifier (the seed uses `itsdcode`).
         * @example itsdcode
         */
        StoreId: string;
        /**
         * @description Merchant identifier (the seed uses `itsdcode`).
         * @example itsdcode
         */
        MerchantId: string;
        /**
         * @description Amount the client asks to pay; recorded, not checked against finalAmount.
         * @example 1500
         */
        Amount: string;
        /**
         * @description Day of the request as yyyyMMdd (the seed sends the day of the test).
         * @example 20210621
         */
        Timestamp: string;
        /**
         * @description Client-chosen id of the payment order; unique, reserved at most once.
         * @example testorder210621112151
         */
        PaymentOrderIdQuery: components["schemas"]["PaymentOrderId"];
        /**
         * @description The paymentOrderId given at reservation.
         * @example testorder210621112151
         */
        PaymentOrderIdPath: components["schemas"]["PaymentOrderId"];
        /**
         * @description URL-encoded JSON whose decoded value is a `CustomData` object (see its schema); the line
         *     items of the reservation come from it.
         * @example {"productInfoList":null,"productStockList":[{"productStockId":311191,"orderCount":1}]}
         */
        CustomData: string;
    };
    requestBodies: never;
    headers: {
        /** @description Token responses are never cached. */
        NoStore: "no-store";
        /** @description Seconds after which the request may be retried. */
        RetryAfter: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    createToken: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Test control (RFC 7240, in Prism's spelling), honoured while the test-control API is on:
                 *     `code=503` answers the operation's declared 503 (STORE_BUSY with Retry-After) instead of
                 *     running it; `code=409, example=OUT_OF_STOCK` picks one of the status's declared codes (by
                 *     default the first); `example=ORDER_PAID` alone picks the status that declares that code.
                 *     A 401 carries the RFC 6750 challenge. A forced answer changes no state and carries
                 *     `Preference-Applied` naming what was applied. A code the operation does not declare is
                 *     refused with 400 (an OAuth `invalid_request` on the token endpoint) naming the declared ones.
                 *     Other preferences are ignored.
                 * @example code=503
                 */
                Prefer?: components["parameters"]["Prefer"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description Token issued. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /**
             * @description invalid_request, invalid_grant, unsupported_grant_type or invalid_scope. invalid_grant:
             *     bad username or password; a refresh token that is not valid, expired, already used, of
             *     another client, or issued before its user's password changed.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description invalid_client — unknown client or wrong client secret. */
            401: {
                headers: {
                    /** @description Basic challenge. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            421: components["responses"]["HostNotAllowed"];
            503: components["responses"]["StoreBusy"];
        };
    };
    reserveStock: {
        parameters: {
            query: {
                /**
                 * @description Store identifier (the seed uses `itsdcode`).
                 * @example itsdcode
                 */
                storeId: components["parameters"]["StoreId"];
                /**
                 * @description Merchant identifier (the seed uses `itsdcode`).
                 * @example itsdcode
                 */
                merchantId: components["parameters"]["MerchantId"];
                /**
                 * @description Amount the client asks to pay; recorded, not checked against finalAmount.
                 * @example 1500
                 */
                amount: components["parameters"]["Amount"];
                /**
                 * @description Day of the request as yyyyMMdd (the seed sends the day of the test).
                 * @example 20210621
                 */
                timestamp: components["parameters"]["Timestamp"];
                /**
                 * @description Client-chosen id of the payment order; unique, reserved at most once.
                 * @example testorder210621112151
                 */
                paymentOrderId: components["parameters"]["PaymentOrderIdQuery"];
                /**
                 * @description URL-encoded JSON whose decoded value is a `CustomData` object (see its schema); the line
                 *     items of the reservation come from it.
                 * @example {"productInfoList":null,"productStockList":[{"productStockId":311191,"orderCount":1}]}
                 */
                customData: components["parameters"]["CustomData"];
            };
            header?: {
                /**
                 * @description Test control (RFC 7240, in Prism's spelling), honoured while the test-control API is on:
                 *     `code=503` answers the operation's declared 503 (STORE_BUSY with Retry-After) instead of
                 *     running it; `code=409, example=OUT_OF_STOCK` picks one of the status's declared codes (by
                 *     default the first); `example=ORDER_PAID` alone picks the status that declares that code.
                 *     A 401 carries the RFC 6750 challenge. A forced answer changes no state and carries
                 *     `Preference-Applied` naming what was applied. A code the operation does not declare is
                 *     refused with 400 (an OAuth `invalid_request` on the token endpoint) naming the declared ones.
                 *     Other preferences are ignored.
                 * @example code=503
                 */
                Prefer?: components["parameters"]["Prefer"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Stock reserved; the order is RESERVED. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description OUT_OF_STOCK (nothing taken; each short SKU named) or DUPLICATE_PAYMENT_ORDER. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            414: components["responses"]["UriTooLong"];
            421: components["responses"]["HostNotAllowed"];
            503: components["responses"]["StoreBusy"];
        };
    };
    payOrder: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Test control (RFC 7240, in Prism's spelling), honoured while the test-control API is on:
                 *     `code=503` answers the operation's declared 503 (STORE_BUSY with Retry-After) instead of
                 *     running it; `code=409, example=OUT_OF_STOCK` picks one of the status's declared codes (by
                 *     default the first); `example=ORDER_PAID` alone picks the status that declares that code.
                 *     A 401 carries the RFC 6750 challenge. A forced answer changes no state and carries
                 *     `Preference-Applied` naming what was applied. A code the operation does not declare is
                 *     refused with 400 (an OAuth `invalid_request` on the token endpoint) naming the declared ones.
                 *     Other preferences are ignored.
                 * @example code=503
                 */
                Prefer?: components["parameters"]["Prefer"];
            };
            path: {
                /**
                 * @description The paymentOrderId given at reservation.
                 * @example testorder210621112151
                 */
                paymentOrderId: components["parameters"]["PaymentOrderIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order is PAID (now or already). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["OrderNotFound"];
            /** @description ORDER_CANCELLED or ORDER_EXPIRED — the order can no longer be paid. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            414: components["responses"]["UriTooLong"];
            421: components["responses"]["HostNotAllowed"];
            503: components["responses"]["StoreBusy"];
        };
    };
    cancelOrder: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Test control (RFC 7240, in Prism's spelling), honoured while the test-control API is on:
                 *     `code=503` answers the operation's declared 503 (STORE_BUSY with Retry-After) instead of
                 *     running it; `code=409, example=OUT_OF_STOCK` picks one of the status's declared codes (by
                 *     default the first); `example=ORDER_PAID` alone picks the status that declares that code.
                 *     A 401 carries the RFC 6750 challenge. A forced answer changes no state and carries
                 *     `Preference-Applied` naming what was applied. A code the operation does not declare is
                 *     refused with 400 (an OAuth `invalid_request` on the token endpoint) naming the declared ones.
                 *     Other preferences are ignored.
                 * @example code=503
                 */
                Prefer?: components["parameters"]["Prefer"];
            };
            path: {
                /**
                 * @description The paymentOrderId given at reservation.
                 * @example testorder210621112151
                 */
                paymentOrderId: components["parameters"]["PaymentOrderIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order is CANCELLED (now or already), or EXPIRED. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["OrderNotFound"];
            /** @description ORDER_PAID — a paid order cannot be cancelled here. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            414: components["responses"]["UriTooLong"];
            421: components["responses"]["HostNotAllowed"];
            503: components["responses"]["StoreBusy"];
        };
    };
    setStock: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetStockRequest"];
            };
        };
        responses: {
            /** @description Stock set; the snapshot after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Snapshot"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AdminUnauthorized"];
            403: components["responses"]["AdminOriginNotAllowed"];
            404: components["responses"]["AdminDisabled"];
            /** @description SKU_CONFLICT — two SKUs would share productId + color + size; nothing was changed. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            421: components["responses"]["HostNotAllowed"];
            503: components["responses"]["StoreBusy"];
        };
    };
    getSnapshot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The snapshot, taken inside one transaction. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Snapshot"];
                };
            };
            401: components["responses"]["AdminUnauthorized"];
            403: components["responses"]["AdminOriginNotAllowed"];
            404: components["responses"]["AdminDisabled"];
            421: components["responses"]["HostNotAllowed"];
            503: components["responses"]["StoreBusy"];
        };
    };
    resetStore: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Reset done; the snapshot after it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Snapshot"];
                };
            };
            401: components["responses"]["AdminUnauthorized"];
            403: components["responses"]["AdminOriginNotAllowed"];
            404: components["responses"]["AdminDisabled"];
            421: components["responses"]["HostNotAllowed"];
            503: components["responses"]["StoreBusy"];
        };
    };
    setFaults: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FaultRulesRequest"];
            };
        };
        responses: {
            /** @description The rules now in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FaultRules"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AdminUnauthorized"];
            404: components["responses"]["AdminDisabled"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    clearFaults: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No rule is in force any more (an empty list). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FaultRules"];
                };
            };
            401: components["responses"]["AdminUnauthorized"];
            404: components["responses"]["AdminDisabled"];
        };
    };
    listRequests: {
        parameters: {
            query?: {
                /**
                 * @description Only the requests that arrived at or after this instant (RFC 3339, e.g. the `at` of an earlier entry).
                 * @example 2021-06-21T11:21:51.000Z
                 */
                since?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The journalled requests, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RequestJournal"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AdminUnauthorized"];
            404: components["responses"]["AdminDisabled"];
        };
    };
}
