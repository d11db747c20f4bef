export const contract = "callchat";
