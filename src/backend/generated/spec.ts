// Generated from openapi/openapi.yaml by `npm run gen` — do not edit.
/* biome-ignore-all format: generated */
export const spec = {
  "openapi": "3.1.0",
  "info": {
    "title": "stockproof reference API",
    "version": "0.1.0",
    "summary": "Order-payment flow with stock reservation, as the stockproof reference server implements it.",
    "description": "OAuth2 login → reserve stock for a payment (\"choice\") → fake payment-gateway result (pay)\nor cancel and restore the stock.\n\nSemantics every implementation of this contract keeps:\n- Reservation is all-or-nothing across line items.\n- A paymentOrderId can be reserved once.\n- Pay and cancel are idempotent; stock comes back exactly once.\n- Orders belong to the user of the token; another user's order answers 404.\n- Per SKU, at every instant: initial = available + held + paid, and available ≥ 0.\n\nErrors of the order and test-control APIs are RFC 9457 `application/problem+json` bodies with a\nstable machine `code`. Errors of the token endpoint follow RFC 6749 §5.2.\n",
    "license": {
      "name": "MIT",
      "identifier": "MIT"
    }
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8080",
      "description": "The reference server started by `npx stockproof serve`."
    }
  ],
  "tags": [
    {
      "name": "oauth",
      "description": "OAuth2 token endpoint (password and refresh_token grants)."
    },
    {
      "name": "orders",
      "description": "Stock reservation, fake payment result and cancellation."
    },
    {
      "name": "admin",
      "description": "Test-control API of the reference server (guarded by X-Admin-Key, can be disabled)."
    }
  ],
  "security": [],
  "paths": {
    "/oauth/token": {
      "post": {
        "operationId": "createToken",
        "tags": [
          "oauth"
        ],
        "summary": "Issue an access token (password grant) or refresh it (refresh_token grant).",
        "description": "The client authenticates with HTTP Basic (`client_id:client_secret`; the scheme name in\nany case) or with the `client_id` and `client_secret` form fields. Tokens are HS256 JWTs\nwith the claims aud, user_name, scope, iat, exp, authorities, jti, client_id and\ncredential_version (derived from the user's password hash: a password change revokes\nthe user's earlier tokens); refresh tokens add ati.\n\nRefresh tokens are single-use (rotation): the refresh_token grant answers a new access\ntoken and a new refresh token, and a refresh token already used is refused with\ninvalid_grant, also when two requests race and when several server processes share\nthe database. The grant may narrow the scope, never widen it. Earlier access tokens\nstay valid until they expire.\n",
        "security": [
          {},
          {
            "clientBasic": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/Prefer"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "$ref": "#/components/schemas/TokenRequest"
              },
              "examples": {
                "password": {
                  "value": {
                    "grant_type": "password",
                    "username": "buyer@example.com",
                    "password": "buyer-password",
                    "client_id": "clientapp",
                    "client_secret": "secret"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Token issued.",
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/NoStore"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TokenResponse"
                },
                "examples": {
                  "issued": {
                    "value": {
                      "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX25hbWUiOiIxNDQ2MDIifQ.c2lnbmF0dXJl",
                      "token_type": "bearer",
                      "refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdGkiOiJhIn0.c2lnbmF0dXJl",
                      "expires_in": 86399,
                      "scope": "read write",
                      "jti": "73404d41-6fee-47c6-8af2-1722a98cd0cc"
                    }
                  }
                }
              }
            }
          },
          "400": {
            "description": "invalid_request, invalid_grant, unsupported_grant_type or invalid_scope. invalid_grant:\nbad username or password; a refresh token that is not valid, expired, already used, of\nanother client, or issued before its user's password changed.\n",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthError"
                },
                "examples": {
                  "badPassword": {
                    "value": {
                      "error": "invalid_grant",
                      "error_description": "Bad credentials"
                    }
                  }
                }
              }
            }
          },
          "401": {
            "description": "invalid_client — unknown client or wrong client secret.",
            "headers": {
              "WWW-Authenticate": {
                "description": "Basic challenge.",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthError"
                },
                "examples": {
                  "badClient": {
                    "value": {
                      "error": "invalid_client",
                      "error_description": "Client authentication failed"
                    }
                  }
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "421": {
            "$ref": "#/components/responses/HostNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/StoreBusy"
          }
        }
      }
    },
    "/orders/payment/choice": {
      "get": {
        "operationId": "reserveStock",
        "tags": [
          "orders"
        ],
        "summary": "Reserve stock for a payment order (all-or-nothing).",
        "description": "Line items come from `customData.productStockList` (`productStockId`, `orderCount`); when\nthat is null or absent, from `customData.productInfoList` (productId + color + size → SKU,\n`count`). Lines naming the same SKU are added together. If any SKU lacks stock nothing is\ntaken and the 409 names each short SKU. `amount` is recorded, not checked against\n`finalAmount`; `customData.paymentOrderId` is ignored in favour of the query parameter.\n",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/StoreId"
          },
          {
            "$ref": "#/components/parameters/MerchantId"
          },
          {
            "$ref": "#/components/parameters/Amount"
          },
          {
            "$ref": "#/components/parameters/Timestamp"
          },
          {
            "$ref": "#/components/parameters/PaymentOrderIdQuery"
          },
          {
            "$ref": "#/components/parameters/CustomData"
          },
          {
            "$ref": "#/components/parameters/Prefer"
          }
        ],
        "responses": {
          "200": {
            "description": "Stock reserved; the order is RESERVED.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Order"
                },
                "examples": {
                  "reserved": {
                    "$ref": "#/components/examples/ReservedOrder"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "description": "OUT_OF_STOCK (nothing taken; each short SKU named) or DUPLICATE_PAYMENT_ORDER.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "examples": {
                  "outOfStock": {
                    "value": {
                      "type": "urn:stockproof:problem:out-of-stock",
                      "title": "Out of stock",
                      "status": 409,
                      "code": "OUT_OF_STOCK",
                      "detail": "Not enough stock for SKU 311191: requested 2, available 1. Nothing was reserved.",
                      "shortages": [
                        {
                          "productStockId": 311191,
                          "requested": 2,
                          "available": 1
                        }
                      ]
                    }
                  },
                  "duplicate": {
                    "value": {
                      "type": "urn:stockproof:problem:duplicate-payment-order",
                      "title": "Duplicate paymentOrderId",
                      "status": 409,
                      "code": "DUPLICATE_PAYMENT_ORDER",
                      "detail": "paymentOrderId P_1 has already been reserved."
                    }
                  }
                }
              }
            }
          },
          "414": {
            "$ref": "#/components/responses/UriTooLong"
          },
          "421": {
            "$ref": "#/components/responses/HostNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/StoreBusy"
          }
        }
      }
    },
    "/orders/payment/kcp/payResultTest/{paymentOrderId}": {
      "get": {
        "operationId": "payOrder",
        "tags": [
          "orders"
        ],
        "summary": "Fake payment-gateway result — RESERVED → PAID (idempotent).",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/PaymentOrderIdPath"
          },
          {
            "$ref": "#/components/parameters/Prefer"
          }
        ],
        "responses": {
          "200": {
            "description": "The order is PAID (now or already).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Order"
                },
                "examples": {
                  "paid": {
                    "$ref": "#/components/examples/PaidOrder"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/OrderNotFound"
          },
          "409": {
            "description": "ORDER_CANCELLED or ORDER_EXPIRED — the order can no longer be paid.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "examples": {
                  "cancelled": {
                    "value": {
                      "type": "urn:stockproof:problem:order-cancelled",
                      "title": "Order cancelled",
                      "status": 409,
                      "code": "ORDER_CANCELLED",
                      "detail": "Order P_1 was cancelled and cannot be paid."
                    }
                  }
                }
              }
            }
          },
          "414": {
            "$ref": "#/components/responses/UriTooLong"
          },
          "421": {
            "$ref": "#/components/responses/HostNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/StoreBusy"
          }
        }
      }
    },
    "/orders/payment/cancel/{paymentOrderId}": {
      "delete": {
        "operationId": "cancelOrder",
        "tags": [
          "orders"
        ],
        "summary": "Cancel a reservation and restore its stock exactly once (idempotent).",
        "description": "RESERVED → CANCELLED and the stock comes back. Cancelling a CANCELLED order answers 200 and\nrestores nothing. An EXPIRED order (its stock already returned) answers 200 unchanged.\n",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/PaymentOrderIdPath"
          },
          {
            "$ref": "#/components/parameters/Prefer"
          }
        ],
        "responses": {
          "200": {
            "description": "The order is CANCELLED (now or already), or EXPIRED.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Order"
                },
                "examples": {
                  "cancelled": {
                    "$ref": "#/components/examples/CancelledOrder"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/OrderNotFound"
          },
          "409": {
            "description": "ORDER_PAID — a paid order cannot be cancelled here.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "examples": {
                  "paid": {
                    "value": {
                      "type": "urn:stockproof:problem:order-paid",
                      "title": "Order paid",
                      "status": 409,
                      "code": "ORDER_PAID",
                      "detail": "Order P_1 is paid and cannot be cancelled."
                    }
                  }
                }
              }
            }
          },
          "414": {
            "$ref": "#/components/responses/UriTooLong"
          },
          "421": {
            "$ref": "#/components/responses/HostNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/StoreBusy"
          }
        }
      }
    },
    "/__admin/stock": {
      "put": {
        "operationId": "setStock",
        "tags": [
          "admin"
        ],
        "summary": "Set the available stock of SKUs (creating SKUs that do not exist).",
        "description": "For each item, available becomes `quantity` and the SKU's initial is recomputed as\nquantity + held + paid, so the invariant keeps holding. Missing product fields of a new SKU\ndefault to productId = productStockId, empty color and size. The fields have the catalog's\nbounds, and as in the catalog no two SKUs may share productId + color + size (productInfoList\nlines name a SKU by them): such a request is refused whole with 409 SKU_CONFLICT.\n",
        "security": [
          {
            "adminKey": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SetStockRequest"
              },
              "examples": {
                "fifty": {
                  "value": {
                    "items": [
                      {
                        "productStockId": 311191,
                        "quantity": 50
                      }
                    ]
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Stock set; the snapshot after the change.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Snapshot"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/AdminOriginNotAllowed"
          },
          "404": {
            "$ref": "#/components/responses/AdminDisabled"
          },
          "409": {
            "description": "SKU_CONFLICT — two SKUs would share productId + color + size; nothing was changed.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "examples": {
                  "conflict": {
                    "value": {
                      "type": "urn:stockproof:problem:sku-conflict",
                      "title": "SKU conflict",
                      "status": 409,
                      "code": "SKU_CONFLICT",
                      "detail": "SKU 311191 and SKU 900001 would both be productId 219622 BLACK/L, which productInfoList lines name; give SKU 900001 another productId, color or size. Nothing was changed.",
                      "conflictingSkus": [
                        311191,
                        900001
                      ]
                    }
                  }
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "421": {
            "$ref": "#/components/responses/HostNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/StoreBusy"
          }
        }
      }
    },
    "/__admin/snapshot": {
      "get": {
        "operationId": "getSnapshot",
        "tags": [
          "admin"
        ],
        "summary": "Stock per SKU with its invariant, and every order.",
        "security": [
          {
            "adminKey": []
          }
        ],
        "responses": {
          "200": {
            "description": "The snapshot, taken inside one transaction.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Snapshot"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/AdminOriginNotAllowed"
          },
          "404": {
            "$ref": "#/components/responses/AdminDisabled"
          },
          "421": {
            "$ref": "#/components/responses/HostNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/StoreBusy"
          }
        }
      }
    },
    "/__admin/reset": {
      "post": {
        "operationId": "resetStore",
        "tags": [
          "admin"
        ],
        "summary": "Delete every order and restore the catalog the server started with.",
        "security": [
          {
            "adminKey": []
          }
        ],
        "responses": {
          "200": {
            "description": "Reset done; the snapshot after it.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Snapshot"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/AdminOriginNotAllowed"
          },
          "404": {
            "$ref": "#/components/responses/AdminDisabled"
          },
          "421": {
            "$ref": "#/components/responses/HostNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/StoreBusy"
          }
        }
      }
    },
    "/__admin/faults": {
      "put": {
        "operationId": "setFaults",
        "tags": [
          "admin"
        ],
        "summary": "Replace the fault rules (delays, forced answers, cut connections) of the public operations.",
        "description": "Each rule matches the requests of one operation (optionally only those naming a SKU in a\nproductStockList line, or a paymentOrderId) and, for its next `times` matching requests or\nuntil cleared, delays them, forces one of the operation's declared answers, or cuts the\nconnection. The first rule that matches a request applies and uses up one of its times.\nA delayed request without a forced answer still has its real effect after the delay (a slow\nreservation still reserves). A forced answer or a cut connection changes no state.\nThe whole list is checked before any of it applies: a bad rule is refused with 400 naming\nthe field, and the rules in force stay as they were. `POST /__admin/reset` clears the rules.\n",
        "security": [
          {
            "adminKey": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/FaultRulesRequest"
              },
              "examples": {
                "busyOnce": {
                  "value": {
                    "rules": [
                      {
                        "operationId": "reserveStock",
                        "status": 503,
                        "times": 1
                      }
                    ]
                  }
                },
                "slowReserve": {
                  "value": {
                    "rules": [
                      {
                        "operationId": "reserveStock",
                        "delayMs": 1500
                      }
                    ]
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The rules now in force.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FaultRules"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "$ref": "#/components/responses/AdminDisabled"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          }
        }
      },
      "delete": {
        "operationId": "clearFaults",
        "tags": [
          "admin"
        ],
        "summary": "Remove every fault rule.",
        "security": [
          {
            "adminKey": []
          }
        ],
        "responses": {
          "200": {
            "description": "No rule is in force any more (an empty list).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FaultRules"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "$ref": "#/components/responses/AdminDisabled"
          }
        }
      }
    },
    "/__admin/requests": {
      "get": {
        "operationId": "listRequests",
        "tags": [
          "admin"
        ],
        "summary": "The request journal — the last requests to the public operations, oldest first.",
        "description": "One entry per request to the public API (the test-control API's own requests are not\njournalled): method, path without the query, operation, status, problem code, duration,\nand for the order operations the paymentOrderId (and a reservation's lines). Tokens,\npasswords and client secrets are never recorded. The journal keeps the last `capacity`\nentries in memory (`dropped` counts the older ones let go) and `POST /__admin/reset`\nempties it.\n",
        "security": [
          {
            "adminKey": []
          }
        ],
        "parameters": [
          {
            "name": "since",
            "in": "query",
            "required": false,
            "description": "Only the requests that arrived at or after this instant (RFC 3339, e.g. the `at` of an earlier entry).",
            "schema": {
              "type": "string",
              "maxLength": 64,
              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$"
            },
            "example": "2021-06-21T11:21:51.000Z"
          }
        ],
        "responses": {
          "200": {
            "description": "The journalled requests, oldest first.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RequestJournal"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "$ref": "#/components/responses/AdminDisabled"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "Access token from POST /oauth/token (HS256 JWT, scope \"read write\"), sent exactly as\nissued: a padded or otherwise re-spelled token (non-canonical base64url) is refused.\n`Bearer` is case-insensitive and may be followed by several spaces (RFC 6750 §2.1).\n"
      },
      "clientBasic": {
        "type": "http",
        "scheme": "basic",
        "description": "OAuth client authentication (client_id:client_secret)."
      },
      "adminKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Admin-Key",
        "description": "Key of the test-control API (`--admin-key`)."
      }
    },
    "headers": {
      "NoStore": {
        "description": "Token responses are never cached.",
        "schema": {
          "type": "string",
          "const": "no-store"
        }
      },
      "RetryAfter": {
        "description": "Seconds after which the request may be retried.",
        "schema": {
          "type": "string",
          "pattern": "^[0-9]+$"
        }
      }
    },
    "parameters": {
      "Prefer": {
        "name": "Prefer",
        "in": "header",
        "required": false,
        "description": "Test control (RFC 7240, in Prism's spelling), honoured while the test-control API is on:\n`code=503` answers the operation's declared 503 (STORE_BUSY with Retry-After) instead of\nrunning it; `code=409, example=OUT_OF_STOCK` picks one of the status's declared codes (by\ndefault the first); `example=ORDER_PAID` alone picks the status that declares that code.\nA 401 carries the RFC 6750 challenge. A forced answer changes no state and carries\n`Preference-Applied` naming what was applied. A code the operation does not declare is\nrefused with 400 (an OAuth `invalid_request` on the token endpoint) naming the declared ones.\nOther preferences are ignored.\n",
        "schema": {
          "type": "string",
          "maxLength": 256
        },
        "example": "code=503"
      },
      "StoreId": {
        "name": "storeId",
        "in": "query",
        "required": true,
        "description": "Store identifier (the seed uses `itsdcode`).",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 64
        },
        "example": "itsdcode"
      },
      "MerchantId": {
        "name": "merchantId",
        "in": "query",
        "required": true,
        "description": "Merchant identifier (the seed uses `itsdcode`).",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 64
        },
        "example": "itsdcode"
      },
      "Amount": {
        "name": "amount",
        "in": "query",
        "required": true,
        "description": "Amount the client asks to pay; recorded, not checked against finalAmount.",
        "schema": {
          "type": "string",
          "pattern": "^[0-9]{1,12}(\\.[0-9]{1,2})?$"
        },
        "example": "1500"
      },
      "Timestamp": {
        "name": "timestamp",
        "in": "query",
        "required": true,
        "description": "Day of the request as yyyyMMdd (the seed sends the day of the test).",
        "schema": {
          "type": "string",
          "pattern": "^[0-9]{8}([0-9]{6})?$"
        },
        "example": "20210621"
      },
      "PaymentOrderIdQuery": {
        "name": "paymentOrderId",
        "in": "query",
        "required": true,
        "description": "Client-chosen id of the payment order; unique, reserved at most once.",
        "schema": {
          "$ref": "#/components/schemas/PaymentOrderId"
        },
        "example": "testorder210621112151"
      },
      "PaymentOrderIdPath": {
        "name": "paymentOrderId",
        "in": "path",
        "required": true,
        "description": "The paymentOrderId given at reservation.",
        "schema": {
          "$ref": "#/components/schemas/PaymentOrderId"
        },
        "example": "testorder210621112151"
      },
      "CustomData": {
        "name": "customData",
        "in": "query",
        "required": true,
        "description": "URL-encoded JSON whose decoded value is a `CustomData` object (see its schema); the line\nitems of the reservation come from it.\n",
        "schema": {
          "type": "string",
          "minLength": 2,
          "maxLength": 16384,
          "contentMediaType": "application/json",
          "contentSchema": {
            "$ref": "#/components/schemas/CustomData"
          }
        },
        "example": "{\"productInfoList\":null,\"productStockList\":[{\"productStockId\":311191,\"orderCount\":1}]}"
      }
    },
    "responses": {
      "BadRequest": {
        "description": "The request is malformed: INVALID_PARAMETER, MISSING_PARAMETER, DUPLICATE_PARAMETER,\nMALFORMED_CUSTOM_DATA, INVALID_CUSTOM_DATA, NO_LINE_ITEMS, TOO_MANY_LINE_ITEMS,\nINVALID_COUNT or UNKNOWN_SKU. Nothing is changed.\n",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            },
            "examples": {
              "unknownSku": {
                "value": {
                  "type": "urn:stockproof:problem:unknown-sku",
                  "title": "Unknown SKU",
                  "status": 400,
                  "code": "UNKNOWN_SKU",
                  "detail": "Unknown productStockId: 999999. Nothing was reserved.",
                  "unknownSkus": [
                    "999999"
                  ]
                }
              },
              "malformed": {
                "value": {
                  "type": "urn:stockproof:problem:malformed-custom-data",
                  "title": "Malformed customData",
                  "status": 400,
                  "code": "MALFORMED_CUSTOM_DATA",
                  "detail": "customData is not valid JSON: Unexpected token } at position 12"
                }
              }
            }
          }
        }
      },
      "Unauthorized": {
        "description": "Missing, malformed, forged or expired access token (RFC 6750 invalid_token).",
        "headers": {
          "WWW-Authenticate": {
            "description": "Bearer challenge, e.g. `Bearer realm=\"stockproof\", error=\"invalid_token\"`.",
            "schema": {
              "type": "string"
            }
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            },
            "examples": {
              "invalidToken": {
                "value": {
                  "type": "urn:stockproof:problem:invalid-token",
                  "title": "Invalid token",
                  "status": 401,
                  "code": "INVALID_TOKEN",
                  "detail": "The access token has expired."
                }
              }
            }
          }
        }
      },
      "Forbidden": {
        "description": "The token lacks the scope this operation needs (RFC 6750 insufficient_scope).",
        "headers": {
          "WWW-Authenticate": {
            "description": "Bearer challenge with error=\"insufficient_scope\".",
            "schema": {
              "type": "string"
            }
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            },
            "examples": {
              "scope": {
                "value": {
                  "type": "urn:stockproof:problem:insufficient-scope",
                  "title": "Insufficient scope",
                  "status": 403,
                  "code": "INSUFFICIENT_SCOPE",
                  "detail": "This operation needs the scopes read and write."
                }
              }
            }
          }
        }
      },
      "OrderNotFound": {
        "description": "ORDER_NOT_FOUND — no such order for the user of the token.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            },
            "examples": {
              "notFound": {
                "value": {
                  "type": "urn:stockproof:problem:order-not-found",
                  "title": "Order not found",
                  "status": 404,
                  "code": "ORDER_NOT_FOUND",
                  "detail": "No order P_404 for this user."
                }
              }
            }
          }
        }
      },
      "UriTooLong": {
        "description": "URI_TOO_LONG — the request target exceeds the server's limit.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "PayloadTooLarge": {
        "description": "PAYLOAD_TOO_LARGE — the body exceeds the server's limit.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "UnsupportedMediaType": {
        "description": "UNSUPPORTED_MEDIA_TYPE — the body is not of the media type the operation takes.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "StoreBusy": {
        "description": "STORE_BUSY — the database stayed locked past busy_timeout; or STORE_FULL — the database\ncould not grow (disk full, or a size limit of the file). Nothing was changed; retry after\nthe given seconds (for STORE_FULL, once space has been freed).\n",
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "AdminUnauthorized": {
        "description": "ADMIN_KEY_REQUIRED — missing or wrong X-Admin-Key.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "AdminOriginNotAllowed": {
        "description": "ADMIN_ORIGIN_NOT_ALLOWED — a browser page of another origin (its `Origin` header) called the\ntest-control API; only origins listed one by one with `--cors` may (not `loopback`, not `*`).\n",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "HostNotAllowed": {
        "description": "HOST_NOT_ALLOWED — the request's `Host` is not a name this server answers to (a DNS-rebinding\npage names its own host): loopback names, IP addresses, the `--host` it binds and the\n`--allowed-hosts` list are. Refused before any route runs.\n",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "AdminDisabled": {
        "description": "NOT_FOUND — the test-control API is disabled on this server.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      }
    },
    "examples": {
      "ReservedOrder": {
        "value": {
          "paymentOrderId": "testorder210621112151",
          "status": "RESERVED",
          "userName": "144602",
          "lines": [
            {
              "productStockId": 311191,
              "productId": 219622,
              "productName": "210521 KINGMING TEST PRODUCT 003",
              "color": "BLACK",
              "size": "L",
              "count": 1
            }
          ],
          "amount": "1500",
          "createdAt": "2021-06-21T11:21:51.000Z",
          "updatedAt": "2021-06-21T11:21:51.000Z",
          "expiresAt": null
        }
      },
      "PaidOrder": {
        "value": {
          "paymentOrderId": "testorder210621112151",
          "status": "PAID",
          "userName": "144602",
          "lines": [
            {
              "productStockId": 311191,
              "productId": 219622,
              "productName": "210521 KINGMING TEST PRODUCT 003",
              "color": "BLACK",
              "size": "L",
              "count": 1
            }
          ],
          "amount": "1500",
          "createdAt": "2021-06-21T11:21:51.000Z",
          "updatedAt": "2021-06-21T11:22:03.000Z",
          "expiresAt": null
        }
      },
      "CancelledOrder": {
        "value": {
          "paymentOrderId": "testorder210621112151",
          "status": "CANCELLED",
          "userName": "144602",
          "lines": [
            {
              "productStockId": 311191,
              "productId": 219622,
              "productName": "210521 KINGMING TEST PRODUCT 003",
              "color": "BLACK",
              "size": "L",
              "count": 1
            }
          ],
          "amount": "1500",
          "createdAt": "2021-06-21T11:21:51.000Z",
          "updatedAt": "2021-06-21T11:22:03.000Z",
          "expiresAt": null
        }
      }
    },
    "schemas": {
      "PaymentOrderId": {
        "type": "string",
        "minLength": 1,
        "maxLength": 64,
        "pattern": "^(?:\\.{0,2}[A-Za-z0-9_:-]|\\.{3})[A-Za-z0-9_.:-]*$",
        "description": "Letters, digits and the characters _ . : - (at most 64 characters), but not \".\" or \"..\": URLs drop those path segments, so pay and cancel could not reach the order."
      },
      "ProductStockId": {
        "type": "integer",
        "minimum": 1,
        "maximum": 9007199254740991,
        "description": "Id of a SKU (one product in one colour and size)."
      },
      "ProductId": {
        "type": "integer",
        "minimum": 1,
        "maximum": 9007199254740991,
        "description": "Id of a product; with color and size it names one SKU (productInfoList lines)."
      },
      "ProductName": {
        "type": "string",
        "maxLength": 256
      },
      "Color": {
        "type": "string",
        "maxLength": 64
      },
      "Size": {
        "type": "string",
        "maxLength": 64
      },
      "SalePrice": {
        "type": "number",
        "minimum": 0
      },
      "StockQuantity": {
        "type": "integer",
        "minimum": 0,
        "maximum": 1000000000,
        "description": "Units of a SKU available to reserve."
      },
      "OrderCount": {
        "type": "integer",
        "minimum": 1,
        "maximum": 1000,
        "description": "Units of one SKU in one reservation line."
      },
      "TokenRequest": {
        "type": "object",
        "required": [
          "grant_type"
        ],
        "properties": {
          "grant_type": {
            "type": "string",
            "description": "password or refresh_token.",
            "examples": [
              "password"
            ]
          },
          "username": {
            "type": "string",
            "maxLength": 256
          },
          "password": {
            "type": "string",
            "maxLength": 256
          },
          "refresh_token": {
            "type": "string",
            "maxLength": 4096,
            "description": "For the refresh_token grant; single-use, as issued by the last password or refresh grant."
          },
          "scope": {
            "type": "string",
            "maxLength": 256,
            "description": "Space-separated; must be a subset of \"read write\" when given."
          },
          "client_id": {
            "type": "string",
            "maxLength": 256
          },
          "client_secret": {
            "type": "string",
            "maxLength": 256
          }
        }
      },
      "TokenResponse": {
        "type": "object",
        "required": [
          "access_token",
          "token_type",
          "refresh_token",
          "expires_in",
          "scope",
          "jti"
        ],
        "properties": {
          "access_token": {
            "type": "string"
          },
          "token_type": {
            "type": "string",
            "const": "bearer"
          },
          "refresh_token": {
            "type": "string",
            "description": "Single-use; the refresh_token grant answers a new one and refuses this one afterwards."
          },
          "expires_in": {
            "type": "integer",
            "minimum": 0
          },
          "scope": {
            "type": "string"
          },
          "jti": {
            "type": "string"
          }
        }
      },
      "OAuthError": {
        "type": "object",
        "required": [
          "error"
        ],
        "properties": {
          "error": {
            "type": "string",
            "enum": [
              "invalid_request",
              "invalid_client",
              "invalid_grant",
              "unsupported_grant_type",
              "invalid_scope"
            ]
          },
          "error_description": {
            "type": "string"
          }
        }
      },
      "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details with a stable machine code.",
        "required": [
          "type",
          "title",
          "status",
          "code",
          "detail"
        ],
        "properties": {
          "type": {
            "type": "string",
            "format": "uri-reference"
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer",
            "minimum": 400,
            "maximum": 599
          },
          "detail": {
            "type": "string"
          },
          "instance": {
            "type": "string"
          },
          "code": {
            "$ref": "#/components/schemas/ProblemCode"
          },
          "shortages": {
            "type": "array",
            "description": "OUT_OF_STOCK — every SKU that lacked stock.",
            "items": {
              "$ref": "#/components/schemas/Shortage"
            }
          },
          "unknownSkus": {
            "type": "array",
            "description": "UNKNOWN_SKU — every line that named no SKU of the catalog.",
            "items": {
              "type": "string"
            }
          },
          "conflictingSkus": {
            "type": "array",
            "description": "SKU_CONFLICT — the two SKUs that would share one productId + color + size.",
            "minItems": 2,
            "maxItems": 2,
            "items": {
              "$ref": "#/components/schemas/ProductStockId"
            }
          },
          "errors": {
            "type": "array",
            "description": "Validation errors, one per offending field.",
            "items": {
              "$ref": "#/components/schemas/FieldError"
            }
          }
        }
      },
      "ProblemCode": {
        "type": "string",
        "enum": [
          "INVALID_PARAMETER",
          "MISSING_PARAMETER",
          "DUPLICATE_PARAMETER",
          "MALFORMED_CUSTOM_DATA",
          "INVALID_CUSTOM_DATA",
          "NO_LINE_ITEMS",
          "TOO_MANY_LINE_ITEMS",
          "INVALID_COUNT",
          "UNKNOWN_SKU",
          "INVALID_TOKEN",
          "INSUFFICIENT_SCOPE",
          "ORDER_NOT_FOUND",
          "OUT_OF_STOCK",
          "DUPLICATE_PAYMENT_ORDER",
          "ORDER_CANCELLED",
          "ORDER_EXPIRED",
          "ORDER_PAID",
          "URI_TOO_LONG",
          "PAYLOAD_TOO_LARGE",
          "UNSUPPORTED_MEDIA_TYPE",
          "SKU_CONFLICT",
          "ADMIN_KEY_REQUIRED",
          "ADMIN_ORIGIN_NOT_ALLOWED",
          "HOST_NOT_ALLOWED",
          "NOT_FOUND",
          "METHOD_NOT_ALLOWED",
          "STORE_BUSY",
          "STORE_FULL",
          "INTERNAL"
        ]
      },
      "Shortage": {
        "type": "object",
        "required": [
          "productStockId",
          "requested",
          "available"
        ],
        "properties": {
          "productStockId": {
            "$ref": "#/components/schemas/ProductStockId"
          },
          "requested": {
            "type": "integer",
            "minimum": 1
          },
          "available": {
            "type": "integer",
            "minimum": 0
          }
        }
      },
      "FieldError": {
        "type": "object",
        "required": [
          "path",
          "message"
        ],
        "properties": {
          "path": {
            "type": "string",
            "description": "Where the error is, e.g. `query.amount` or `customData.productStockList[1].orderCount`."
          },
          "message": {
            "type": "string"
          }
        }
      },
      "OrderStatus": {
        "type": "string",
        "enum": [
          "RESERVED",
          "PAID",
          "CANCELLED",
          "EXPIRED"
        ]
      },
      "OrderLine": {
        "type": "object",
        "required": [
          "productStockId",
          "productId",
          "productName",
          "color",
          "size",
          "count"
        ],
        "properties": {
          "productStockId": {
            "$ref": "#/components/schemas/ProductStockId"
          },
          "productId": {
            "type": "integer"
          },
          "productName": {
            "type": "string"
          },
          "color": {
            "type": "string"
          },
          "size": {
            "type": "string"
          },
          "count": {
            "type": "integer",
            "minimum": 1
          }
        }
      },
      "Order": {
        "type": "object",
        "required": [
          "paymentOrderId",
          "status",
          "userName",
          "lines",
          "amount",
          "createdAt",
          "updatedAt",
          "expiresAt"
        ],
        "properties": {
          "paymentOrderId": {
            "$ref": "#/components/schemas/PaymentOrderId"
          },
          "status": {
            "$ref": "#/components/schemas/OrderStatus"
          },
          "userName": {
            "type": "string",
            "description": "user_name of the token that reserved the order."
          },
          "lines": {
            "type": "array",
            "minItems": 1,
            "items": {
              "$ref": "#/components/schemas/OrderLine"
            }
          },
          "amount": {
            "type": "string"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time"
          },
          "expiresAt": {
            "description": "When an unpaid reservation expires (null when holds do not expire).",
            "oneOf": [
              {
                "type": "string",
                "format": "date-time"
              },
              {
                "type": "null"
              }
            ]
          }
        }
      },
      "CustomData": {
        "type": "object",
        "description": "The decoded value of the `customData` query parameter, in the shape of the seed's checkout\nclient. Only the line items are used; other fields are accepted and ignored.\n",
        "properties": {
          "orderId": {
            "type": [
              "integer",
              "null"
            ]
          },
          "addressId": {
            "type": [
              "integer",
              "null"
            ]
          },
          "paymentOrderId": {
            "type": [
              "string",
              "null"
            ]
          },
          "userId": {
            "type": [
              "integer",
              "null"
            ]
          },
          "finalAmount": {
            "type": [
              "number",
              "null"
            ]
          },
          "productInfoList": {
            "type": [
              "array",
              "null"
            ],
            "maxItems": 50,
            "items": {
              "$ref": "#/components/schemas/ProductInfo"
            }
          },
          "productStockList": {
            "type": [
              "array",
              "null"
            ],
            "maxItems": 50,
            "items": {
              "$ref": "#/components/schemas/ProductStockLine"
            }
          }
        },
        "additionalProperties": true
      },
      "ProductStockLine": {
        "type": "object",
        "required": [
          "productStockId",
          "orderCount"
        ],
        "properties": {
          "productStockId": {
            "$ref": "#/components/schemas/ProductStockId"
          },
          "orderCount": {
            "$ref": "#/components/schemas/OrderCount"
          },
          "productId": {
            "type": [
              "integer",
              "null"
            ]
          },
          "productName": {
            "type": [
              "string",
              "null"
            ]
          },
          "salePrice": {
            "type": [
              "number",
              "null"
            ]
          },
          "color": {
            "type": [
              "string",
              "null"
            ]
          },
          "size": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "additionalProperties": true
      },
      "ProductInfo": {
        "type": "object",
        "required": [
          "productId",
          "color",
          "size",
          "count"
        ],
        "properties": {
          "productId": {
            "$ref": "#/components/schemas/ProductId"
          },
          "color": {
            "$ref": "#/components/schemas/Color"
          },
          "size": {
            "$ref": "#/components/schemas/Size"
          },
          "count": {
            "$ref": "#/components/schemas/OrderCount"
          }
        },
        "additionalProperties": true
      },
      "SkuStock": {
        "type": "object",
        "required": [
          "productStockId",
          "productId",
          "productName",
          "color",
          "size",
          "initial",
          "available",
          "held",
          "paid",
          "invariantHolds"
        ],
        "properties": {
          "productStockId": {
            "$ref": "#/components/schemas/ProductStockId"
          },
          "productId": {
            "type": "integer"
          },
          "productName": {
            "type": "string"
          },
          "color": {
            "type": "string"
          },
          "size": {
            "type": "string"
          },
          "initial": {
            "type": "integer",
            "description": "available + held + paid as last set."
          },
          "available": {
            "type": "integer"
          },
          "held": {
            "type": "integer",
            "description": "Units in RESERVED orders."
          },
          "paid": {
            "type": "integer",
            "description": "Units in PAID orders."
          },
          "invariantHolds": {
            "type": "boolean",
            "description": "initial = available + held + paid, available ≥ 0, and held and paid equal the sums over the orders."
          }
        }
      },
      "Snapshot": {
        "type": "object",
        "required": [
          "takenAt",
          "invariantHolds",
          "skus",
          "orders"
        ],
        "properties": {
          "takenAt": {
            "type": "string",
            "format": "date-time"
          },
          "invariantHolds": {
            "type": "boolean"
          },
          "skus": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/SkuStock"
            }
          },
          "orders": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Order"
            }
          },
          "faults": {
            "type": "array",
            "description": "The fault rules in force (the reference's test-control API; other servers may omit it).",
            "items": {
              "$ref": "#/components/schemas/FaultRuleState"
            }
          }
        }
      },
      "FaultRulesRequest": {
        "type": "object",
        "required": [
          "rules"
        ],
        "additionalProperties": false,
        "properties": {
          "rules": {
            "type": "array",
            "maxItems": 100,
            "description": "The rules in the order they are tried; they replace the rules in force.",
            "items": {
              "$ref": "#/components/schemas/FaultRule"
            }
          }
        }
      },
      "FaultRule": {
        "type": "object",
        "description": "What to do to the matching requests of one operation: a delay, a forced answer (`status`\nand/or `code`, one the operation declares) or a cut connection (`transport`), the delay\ncombinable with either of the others. At least one of delayMs, status, code, transport.\n",
        "required": [
          "operationId"
        ],
        "additionalProperties": false,
        "properties": {
          "operationId": {
            "type": "string",
            "enum": [
              "createToken",
              "reserveStock",
              "payOrder",
              "cancelOrder"
            ]
          },
          "productStockId": {
            "$ref": "#/components/schemas/ProductStockId",
            "description": "reserveStock only — matches reservations with a productStockList line naming this SKU."
          },
          "paymentOrderId": {
            "$ref": "#/components/schemas/PaymentOrderId",
            "description": "reserveStock, payOrder and cancelOrder only — matches requests naming this paymentOrderId."
          },
          "delayMs": {
            "type": "integer",
            "minimum": 0,
            "maximum": 30000,
            "description": "Milliseconds to wait before answering (at most 30 s)."
          },
          "status": {
            "type": "integer",
            "minimum": 200,
            "maximum": 599,
            "description": "A status the operation declares, answered instead of running it."
          },
          "code": {
            "type": "string",
            "maxLength": 64,
            "description": "A code the operation declares (a problem code, or an OAuth error on createToken); picks the answer within its status."
          },
          "transport": {
            "type": "string",
            "enum": [
              "connectionReset",
              "emptyReply"
            ],
            "description": "Cut the connection without an answer, with a TCP reset or a plain close."
          },
          "times": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000000,
            "description": "How many matching requests the rule applies to; absent, until cleared."
          }
        }
      },
      "FaultRuleState": {
        "type": "object",
        "required": [
          "id",
          "rule",
          "applied",
          "remaining"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "minimum": 1
          },
          "rule": {
            "$ref": "#/components/schemas/FaultRule"
          },
          "applied": {
            "type": "integer",
            "minimum": 0,
            "description": "How many requests the rule has applied to."
          },
          "remaining": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0,
            "description": "How many more requests it applies to; null, until cleared."
          }
        }
      },
      "FaultRules": {
        "type": "object",
        "required": [
          "rules"
        ],
        "properties": {
          "rules": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/FaultRuleState"
            }
          }
        }
      },
      "JournalLine": {
        "type": "object",
        "description": "A reservation line as the request gave it (productStockList or productInfoList).",
        "required": [
          "count"
        ],
        "properties": {
          "productStockId": {
            "type": "integer"
          },
          "productId": {
            "type": "integer"
          },
          "color": {
            "type": "string"
          },
          "size": {
            "type": "string"
          },
          "count": {
            "type": "integer"
          }
        }
      },
      "JournalEntry": {
        "type": "object",
        "required": [
          "at",
          "method",
          "path",
          "operationId",
          "status",
          "code",
          "durationMs",
          "forcedBy"
        ],
        "properties": {
          "at": {
            "type": "string",
            "format": "date-time",
            "description": "When the request arrived."
          },
          "method": {
            "type": "string"
          },
          "path": {
            "type": "string",
            "description": "The path without the query."
          },
          "operationId": {
            "type": [
              "string",
              "null"
            ],
            "description": "The operation the request called; null for a path the API does not have."
          },
          "status": {
            "type": "integer",
            "minimum": 0,
            "description": "The answer's status; 0 when the connection was cut without one."
          },
          "code": {
            "type": [
              "string",
              "null"
            ],
            "description": "The problem's code (the OAuth error on the token endpoint); null for a success."
          },
          "durationMs": {
            "type": "number",
            "minimum": 0
          },
          "forcedBy": {
            "description": "Why the answer was not the operation's own (\"prefer\" or \"fault\"); null when it was.",
            "oneOf": [
              {
                "type": "string",
                "enum": [
                  "prefer",
                  "fault"
                ]
              },
              {
                "type": "null"
              }
            ]
          },
          "delayedMs": {
            "type": "integer",
            "minimum": 0,
            "description": "The delay a fault rule added."
          },
          "paymentOrderId": {
            "type": "string"
          },
          "lines": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/JournalLine"
            }
          }
        }
      },
      "RequestJournal": {
        "type": "object",
        "required": [
          "capacity",
          "dropped",
          "requests"
        ],
        "properties": {
          "capacity": {
            "type": "integer",
            "description": "How many entries the journal keeps."
          },
          "dropped": {
            "type": "integer",
            "minimum": 0,
            "description": "Entries let go since the last reset because the journal was full."
          },
          "requests": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/JournalEntry"
            }
          }
        }
      },
      "SetStockRequest": {
        "type": "object",
        "required": [
          "items"
        ],
        "additionalProperties": false,
        "properties": {
          "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1000,
            "items": {
              "$ref": "#/components/schemas/SetStockItem"
            }
          }
        }
      },
      "SetStockItem": {
        "type": "object",
        "required": [
          "productStockId",
          "quantity"
        ],
        "additionalProperties": false,
        "properties": {
          "productStockId": {
            "$ref": "#/components/schemas/ProductStockId"
          },
          "quantity": {
            "$ref": "#/components/schemas/StockQuantity"
          },
          "productId": {
            "$ref": "#/components/schemas/ProductId"
          },
          "productName": {
            "$ref": "#/components/schemas/ProductName"
          },
          "color": {
            "$ref": "#/components/schemas/Color"
          },
          "size": {
            "$ref": "#/components/schemas/Size"
          },
          "salePrice": {
            "$ref": "#/components/schemas/SalePrice"
          }
        }
      },
      "Catalog": {
        "type": "object",
        "description": "A catalog file (`--catalog FILE`, JSON) — the SKUs and stock the server starts with.",
        "required": [
          "products"
        ],
        "additionalProperties": false,
        "properties": {
          "products": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/CatalogProduct"
            }
          }
        }
      },
      "CatalogProduct": {
        "type": "object",
        "required": [
          "productStockId",
          "productId",
          "productName",
          "color",
          "size",
          "stock"
        ],
        "additionalProperties": false,
        "properties": {
          "productStockId": {
            "$ref": "#/components/schemas/ProductStockId"
          },
          "productId": {
            "$ref": "#/components/schemas/ProductId"
          },
          "productName": {
            "$ref": "#/components/schemas/ProductName"
          },
          "color": {
            "$ref": "#/components/schemas/Color"
          },
          "size": {
            "$ref": "#/components/schemas/Size"
          },
          "salePrice": {
            "$ref": "#/components/schemas/SalePrice"
          },
          "stock": {
            "$ref": "#/components/schemas/StockQuantity"
          }
        }
      }
    }
  }
} as const;
