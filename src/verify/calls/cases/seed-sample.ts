/**
 * @module
 * The seed's sample reserve request, exactly as it prints it, for calls that must accept it.
 */

import { reserveParameters } from "../../client/reserve-query.js";

/** customData exactly as the seed's sample request prints it (SEED-EN.md §2-1). */
export const seedCustomData =
  '{"orderId":0,"addressId":84577,"iamportId":null,"payMethod":"card","usePoint":0,' +
  '"shippingFee":0,"shippingText":"","paymentOrderId":"P_1624337711110_144602_843b81",' +
  '"userId":144602,"paymentAmount":0.0,"eventProductPriceId":null,"eventProductPriceListId":null,' +
  '"linkprice":null,' +
  '"productInfoList":[{"productId":219622,"color":"BLACK","size":"L","colorId":null,"sizeId":null,"count":1}],' +
  '"couponCodeList":[],"finalAmount":3000,"productInStockList":null,' +
  '"productStockList":[{"productId":219622,"boutiqueId":1,"productName":"210521 KINGMING TEST PRODUCT 003",' +
  '"salePrice":3000.00,"productStockId":311191,"colorId":73,"sizeId":1060,"color":"BLACK","size":"L",' +
  '"shippingFee":0.00,"orderCount":1,"crawlerUpdatedAt":1621507684000,"supplier":1212,"ordering":3}]}';

/** The seed's sample query: amount 1500 (its customData says finalAmount 3000), day 20210621. */
export const seedQuery = (paymentOrderId: string, customData = seedCustomData) =>
  reserveParameters({ amount: "1500", timestamp: "20210621", paymentOrderId, customData });
